using Bastion.Hosting;

namespace Bastion.Tests.Hosting;

public sealed class ShutdownOptionsValidatorTests
{
    [Fact]
    public void Validate_Default_Succeeds()
        => Assert.True(new ShutdownOptionsValidator().Validate(null, new ShutdownOptions()).Succeeded);

    [Theory]
    [InlineData(0)]
    [InlineData(0.5)]
    [InlineData(601)]
    public void Validate_TimeoutOutsideOneSecondToTenMinutes_FailsNamingTheSetting(double seconds)
    {
        var result = new ShutdownOptionsValidator().Validate(null, new ShutdownOptions { Timeout = TimeSpan.FromSeconds(seconds) });

        Assert.True(result.Failed);
        Assert.Contains("Bastion:Shutdown:Timeout", result.FailureMessage, StringComparison.Ordinal);
    }
}
