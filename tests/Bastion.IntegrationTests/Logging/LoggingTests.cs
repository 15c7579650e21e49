using System.Net;
using System.Text.Json;

namespace Bastion.IntegrationTests.Logging;

public sealed class LoggingTests
{
    [Fact]
    public async Task EveryResponse_NamesItsRequest_AndProblemsCarryTheSameId()
    {
        await using var host = await TestHost.StartAsync();
        using var client = host.CreateClient();

        var response = await client.Http.GetAsync("/api/auth/me");

        var problem = await TestClient.ExpectProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(problem.GetProperty("requestId").GetString(), response.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task AFullRun_LogsNoPasswordTokenOrSessionId()
    {
        var logs = new CapturingLoggerProvider();
        var logFile = Path.Combine(Path.GetTempPath(), "bastion-tests", Guid.NewGuid().ToString("N"), "bastion.log");
        await using var host = await TestHost.StartAsync(
            new Dictionary<string, string?>(Actors.BootstrapSettings)
            {
                ["Bastion:Logging:File:Path"] = logFile,
                ["Bastion:Logging:File:MinimumLevel"] = "Trace",
            },
            configure: builder =>
            {
                // Everything, from every category, at every level: the test is only as good as what it sees.
                builder.Logging.SetMinimumLevel(LogLevel.Trace).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
                builder.Logging.AddProvider(logs);
            });

        const string password = "Pl41n-Text-Canary-Pw!";
        const string newPassword = "N3w-Canary-Password!!";
        const string wrongPassword = "Wr0ng-Canary-Guess!!";
        var secrets = new List<string> { password, newPassword, wrongPassword, Actors.RootPassword };
        using var client = host.CreateClient();
        var email = $"logtest-{Guid.NewGuid():N}@example.com";
        await client.RegisterAsync(email, password);
        await client.LoginAsync(email, wrongPassword, HttpStatusCode.Unauthorized);
        var tokens = await client.LoginForTokensAsync(email, password);
        secrets.Add(tokens.GetProperty("access_token").GetString()!);
        secrets.Add(tokens.GetProperty("refresh_token").GetString()!);
        var next = await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = tokens.GetProperty("refresh_token").GetString() }), HttpStatusCode.OK);
        secrets.Add(next.GetProperty("refresh_token").GetString()!);
        await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = tokens.GetProperty("refresh_token").GetString() });
        using var browser = host.CreateClient();
        await browser.LoginAsync(email, password);
        secrets.Add(browser.Cookie("bastion")!.Value);
        secrets.Add(await browser.UseCsrfTokenAsync());
        await TestClient.ExpectAsync(await browser.PostJsonAsync("/api/account/password", new { currentPassword = password, newPassword }), HttpStatusCode.NoContent);
        await browser.PostRawJsonAsync("/api/auth/login", JsonSerializer.Serialize(new { email, password = newPassword, extra = 1 }));
        await host.DisposeAsync();

        Assert.NotEmpty(logs.Entries);
        var everything = string.Join('\n', logs.Entries) + File.ReadAllText(logFile);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task FileLog_RotatesAtItsSizeAndKeepsTheConfiguredNumberOfFiles()
    {
        var directory = Path.Combine(Path.GetTempPath(), "bastion-tests", Guid.NewGuid().ToString("N"));
        var logFile = Path.Combine(directory, "bastion.log");
        await using (var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bastion:Logging:File:Path"] = logFile,
            ["Bastion:Logging:File:MaxBytes"] = "2048",
            ["Bastion:Logging:File:MaxFiles"] = "3",
            ["Bastion:Logging:File:MinimumLevel"] = "Debug",
        }, configure: builder => builder.Logging.SetMinimumLevel(LogLevel.Debug).AddFilter<Bastion.Logging.RollingFileLoggerProvider>(null, LogLevel.Debug)))
        {
            using var client = host.CreateClient();
            for (var i = 0; i < 40; i++)
            {
                await client.Http.GetAsync("/api/auth/me");
            }
        }

        var files = Directory.GetFiles(directory, "bastion.log*");
        Assert.Equal(4, files.Length);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length <= 2048 + 1024, f));
        Assert.Matches(@" [0-9A-Z]+:[0-9A-F]{8} ", File.ReadAllText(logFile + ".1"));
    }
}
