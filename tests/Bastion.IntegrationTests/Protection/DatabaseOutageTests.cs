using System.Diagnostics;
using System.Net;
using Bastion.IntegrationTests.Tokens;
using Npgsql;

namespace Bastion.IntegrationTests.Protection;

/// <summary>
/// PostgreSQL unreachable — every pooled connection reset and every new one refused, as during a restart — costs
/// requests only for as long as it lasts, and each of them is 503 with Retry-After, never 500: EF Core's wrapping
/// of the driver's exception does not hide what it is.
/// </summary>
public sealed class DatabaseOutageTests
{
    [ProductionStorageFact]
    public async Task DatabaseCut_ApiAndPages_Answer503WithRetryAfterAndRecover()
    {
        await using var storage = await TestStorage.CreateAsync();
        var database = new NpgsqlConnectionStringBuilder(storage.Settings["Bastion:Database:ConnectionString"]);
        await using var proxy = new TcpProxy(database.Host!, database.Port);
        database.Host = "127.0.0.1";
        database.Port = proxy.Port;
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bastion:Database:ConnectionString"] = database.ConnectionString }, storage);
        using var browser = host.CreateClient();
        var email = await browser.SignUpAndLoginAsync();
        using var api = host.CreateClient();
        var refreshToken = JwtParts.Text(await api.LoginForTokensAsync(email), "refresh_token");

        proxy.Cut();

        await OutageAssert.ServiceUnavailableAsync(await api.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword }), "sign-in");
        await OutageAssert.ServiceUnavailableAsync(await api.PostJsonAsync("/api/auth/refresh", new { refresh_token = refreshToken }), "refresh");
        await OutageAssert.ServiceUnavailableAsync(
            await api.PostJsonAsync("/api/auth/register", new { email = $"new-{Guid.NewGuid():N}@example.com", password = TestClient.StrongPassword, fullName = "New User" }),
            "registration");
        await OutageAssert.ServiceUnavailableAsync(await browser.Http.SendAsync(OutageAssert.PageRequest("/account/security")), "security page");
        await OutageAssert.ServiceUnavailableAsync(await browser.Http.SendAsync(OutageAssert.PageRequest("/account/security", accept: "text/html")), "security page, HTML only");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await api.Http.GetAsync("/health/ready")).StatusCode);

        proxy.Restore();
        var restored = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await api.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword })).StatusCode;
        }
        while (status != HttpStatusCode.OK && restored.Elapsed < TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.SendAsync(OutageAssert.PageRequest("/account/security"))).StatusCode);
    }
}
