using System.Diagnostics;
using System.Net;

namespace Bastion.IntegrationTests.Audit;

public sealed class AlertTests
{
    [Fact]
    public async Task CriticalEvent_IsMailedToTheConfiguredAddress()
    {
        var outbox = Path.Combine(Path.GetTempPath(), "bastion-tests", Guid.NewGuid().ToString("N"), "outbox");
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bastion:Email:PickupDirectory"] = outbox,
            ["Bastion:Audit:Alerts:Email"] = "secops@example.com",
            ["Bastion:Tokens:RefreshRetryWindow"] = "00:00:00",
        });
        using var client = host.CreateClient();
        var email = $"alert-{Guid.NewGuid():N}@example.com";
        await client.RegisterAsync(email);
        var refresh = (await client.LoginForTokensAsync(email)).GetProperty("refresh_token").GetString();
        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = refresh }), HttpStatusCode.OK);

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = refresh }), HttpStatusCode.Unauthorized, "refresh_reused");

        var stopwatch = Stopwatch.StartNew();
        string? mail = null;
        while (mail is null && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            mail = Directory.Exists(outbox) ? Directory.GetFiles(outbox, "*.eml").Select(File.ReadAllText).FirstOrDefault(m => m.Contains("refresh_reused", StringComparison.Ordinal)) : null;
            await Task.Delay(50);
        }

        Assert.NotNull(mail);
        Assert.Contains("secops@example.com", mail, StringComparison.Ordinal);
        Assert.DoesNotContain(refresh!, mail, StringComparison.Ordinal);
    }
}
