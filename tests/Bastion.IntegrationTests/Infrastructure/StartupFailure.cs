using Microsoft.Extensions.Options;

namespace Bastion.IntegrationTests.Infrastructure;

/// <summary>Start-up refused by options validation: the messages, however many options failed at once.</summary>
internal static class StartupFailure
{
    public static async Task<string> MessageAsync(Func<Task> start)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(start);
        var failures = error is AggregateException aggregate ? aggregate.Flatten().InnerExceptions.ToList() : [error];
        Assert.All(failures, failure => Assert.IsType<OptionsValidationException>(failure));
        return string.Join('\n', failures.Select(f => f.Message));
    }
}
