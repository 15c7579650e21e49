using Bastion.Audit;
using Bastion.Tests.Encryption;
using Microsoft.Extensions.Hosting;

namespace Bastion.Tests.Audit;

public sealed class AuditOptionsValidatorTests
{
    private const string Secret = "b3f1e9c2a7d84f6e9a1c5b7d3e2f4a6c8e0b1d3f";

    [Fact]
    public void Defaults_AreValidInProduction() => Assert.True(Validate(Environments.Production, _ => { }).Succeeded);

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(300_001)]
    public void OutboxSweepInterval_OutsideItsBounds_IsRefused(int milliseconds)
    {
        var result = Validate(Environments.Production, o => o.OutboxSweepInterval = TimeSpan.FromMilliseconds(milliseconds));

        Assert.Contains("OutboxSweepInterval must be between 100 ms and 5 minutes", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void HttpWebhook_IsRefusedInProduction()
    {
        var result = Validate(Environments.Production, o => (o.Alerts.WebhookUrl, o.Alerts.WebhookSecret) = (new Uri("http://alerts.example/hook"), Secret));

        Assert.Contains("must use https in production", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void HttpWebhook_IsAllowedInDevelopment()
        => Assert.True(Validate(Environments.Development, o => (o.Alerts.WebhookUrl, o.Alerts.WebhookSecret) = (new Uri("http://127.0.0.1:9000/hook"), Secret)).Succeeded);

    [Theory]
    [InlineData(null)]
    [InlineData("too-short-secret")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void WebhookWithoutAStrongSecret_IsRefused(string? secret)
    {
        var result = Validate(Environments.Production, o => (o.Alerts.WebhookUrl, o.Alerts.WebhookSecret) = (new Uri("https://alerts.example/hook"), secret));

        Assert.Contains("WebhookSecret must be at least 32", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void WebhookWithCredentialsInTheUrl_IsRefused()
    {
        var result = Validate(Environments.Production, o => (o.Alerts.WebhookUrl, o.Alerts.WebhookSecret) = (new Uri("https://user:pw@alerts.example/hook"), Secret));

        Assert.Contains("without credentials", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void BatchSizeOutOfRange_IsRefused(int size)
        => Assert.Contains("MaxBatchSize", Validate(Environments.Production, o => o.MaxBatchSize = size).FailureMessage, StringComparison.Ordinal);

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string environment, Action<AuditOptions> configure)
    {
        var options = new AuditOptions();
        configure(options);
        return new AuditOptionsValidator(new TestHostEnvironment(environment)).Validate(null, options);
    }
}
