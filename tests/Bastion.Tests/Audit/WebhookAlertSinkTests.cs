using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bastion.Audit;
using Bastion.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Audit;

/// <summary>Critical entries reach a real HTTP receiver, signed, retried, and never at the cost of the request.</summary>
public sealed class WebhookAlertSinkTests : IAsyncLifetime
{
    private const string Secret = "b3f1e9c2a7d84f6e9a1c5b7d3e2f4a6c8e0b1d3f";
    private readonly ServiceProvider _http = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private AuditTestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await AuditTestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _http.DisposeAsync();
    }

    [Fact]
    public async Task CriticalEntry_IsPostedWithAValidSignature()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using (var node = Node(receiver))
        {
            await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.SessionHijackDetected)
            {
                Severity = AuditSeverity.Critical, Outcome = AuditOutcome.Denied, IpAddress = "198.51.100.9",
                Details = new() { ["session"] = "abc", ["token"] = "never-sent" },
            });
            await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));
        }

        var received = Assert.Single(receiver.Received);
        var timestamp = received.Headers["X-Bastion-Timestamp"];
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), (byte[])[.. Encoding.ASCII.GetBytes(timestamp + "."), .. received.Body]));
        Assert.Equal(expected, received.Headers["X-Bastion-Signature"]);
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal("1", received.Headers["X-Bastion-Delivery"]);
        Assert.StartsWith("application/json", received.Headers["Content-Type"], StringComparison.Ordinal);

        var alert = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal(("session_hijack_detected", "critical", "198.51.100.9"), (alert.GetProperty("type").GetString(), alert.GetProperty("severity").GetString(), alert.GetProperty("ipAddress").GetString()));
        Assert.Equal("[redacted]", alert.GetProperty("details").GetProperty("token").GetString());
        Assert.Equal((await _db.ReadAllAsync())[0].Hash, alert.GetProperty("hash").GetString());
    }

    [Fact]
    public async Task FailingReceiver_IsRetriedWithTheSameDeliveryUntilItAccepts()
    {
        await using var receiver = await WebhookReceiver.StartAsync(default, 500, 503, 200);
        await using (var node = Node(receiver))
        {
            await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.SecurityViolation) { Severity = AuditSeverity.Critical });
            await receiver.WaitForAsync(3, TimeSpan.FromSeconds(10));
            await Task.Delay(300);
        }

        var attempts = receiver.Received.ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal("1", a.Headers["X-Bastion-Delivery"]));
        Assert.All(attempts, a => Assert.Equal(attempts[0].Body, a.Body));

        // Backoff of 100 ms, then 200 ms, each ±20 %: the gaps can only be longer than that, never shorter.
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(75), "first retry waits");
        Assert.True(attempts[2].At - attempts[1].At >= TimeSpan.FromMilliseconds(155), "second retry waits twice as long");
    }

    [Fact]
    public async Task ReceiverThatAlwaysFails_IsTriedMaxAttemptsTimes()
    {
        await using var receiver = await WebhookReceiver.StartAsync(default, 500);
        await using (var node = Node(receiver, maxAttempts: 3))
        {
            await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.SecurityViolation) { Severity = AuditSeverity.Critical });
            await receiver.WaitForAsync(3, TimeSpan.FromSeconds(10));
            await Task.Delay(500);
        }

        Assert.Equal(3, receiver.Received.Count);
    }

    [Fact]
    public async Task SlowReceiver_DoesNotDelayWriteAsync()
    {
        await using var receiver = await WebhookReceiver.StartAsync(TimeSpan.FromSeconds(5));
        await using var node = Node(receiver);
        await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.Logout));

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.SessionHijackDetected) { Severity = AuditSeverity.Critical });
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"20 critical writes took {watch.Elapsed}");
        await receiver.WaitForAsync(8, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task UnreachableReceiver_DoesNotFailWriteAsync()
    {
        Uri url;
        await using (var gone = await WebhookReceiver.StartAsync())
        {
            url = gone.Url;
        }

        await using var node = Node(url);

        await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.SecurityViolation) { Severity = AuditSeverity.Critical });

        Assert.Single(await _db.ReadAllAsync());
    }

    [Fact]
    public async Task EntriesBelowCritical_AreNotSent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using (var node = Node(receiver))
        {
            await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.LoginFailure) { Severity = AuditSeverity.Warning });
            await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.LoginSuccess));
            await Task.Delay(300);
        }

        Assert.Empty(receiver.Received);
    }

    private AuditHarness Node(WebhookReceiver receiver, int maxAttempts = 6) => Node(receiver.Url, maxAttempts);

    private AuditHarness Node(Uri url, int maxAttempts = 6)
    {
        var options = new AuditOptions();
        options.Alerts.WebhookUrl = url;
        options.Alerts.WebhookSecret = Secret;
        options.Alerts.InitialRetryDelay = TimeSpan.FromMilliseconds(100);
        options.Alerts.MaxAttempts = maxAttempts;
        options.Alerts.Timeout = TimeSpan.FromSeconds(1);
        var sink = new WebhookAlertSink(_http.GetRequiredService<IHttpClientFactory>(), Options.Create(options), TimeProvider.System);
        return new AuditHarness(_db.Database, o =>
        {
            o.Alerts.InitialRetryDelay = options.Alerts.InitialRetryDelay;
            o.Alerts.MaxAttempts = maxAttempts;
        }, sink);
    }
}
