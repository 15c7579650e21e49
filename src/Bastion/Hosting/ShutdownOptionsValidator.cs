using Microsoft.Extensions.Options;

namespace Bastion.Hosting;

internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    internal static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, ShutdownOptions options)
        => options.Timeout < MinTimeout || options.Timeout > MaxTimeout
            ? ValidateOptionsResult.Fail("Bastion:Shutdown:Timeout must be between 1 second and 10 minutes: long enough for accepted requests to finish and queued audit entries to be written, shorter than the supervisor's kill timeout.")
            : ValidateOptionsResult.Success;
}
