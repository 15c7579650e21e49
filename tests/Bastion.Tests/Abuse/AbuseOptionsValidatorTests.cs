using Bastion.Abuse;

namespace Bastion.Tests.Abuse;

public sealed class AbuseOptionsValidatorTests
{
    private readonly AbuseOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var options = new AbuseOptions();

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal(64, options.RateLimits.MaxLocalPermits);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Validate_MaxLocalPermitsOutOfRange_NamesTheSetting(int permits)
    {
        var options = new AbuseOptions();
        options.RateLimits.MaxLocalPermits = permits;

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Bastion:Abuse:RateLimits:MaxLocalPermits", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10_000)]
    public void Validate_MaxLocalPermitsAtTheBounds_Succeeds(int permits)
    {
        var options = new AbuseOptions();
        options.RateLimits.MaxLocalPermits = permits;

        Assert.True(_validator.Validate(null, options).Succeeded);
    }
}
