using System.Net;
using System.Text.Json;

namespace Bastion.IntegrationTests.Abuse;

/// <summary>
/// Smart lockout over real HTTP: an attacker rotating addresses locks the account for strangers, while the owner
/// signs in from a browser holding a device cookie or from an address that signed in before. The server trusts
/// loopback as a proxy, so each client presents its own address in X-Forwarded-For; per-address defences are set
/// high enough that only the account-wide one is seen.
/// </summary>
public sealed class SmartLockoutTests : IAsyncLifetime
{
    private const int MaxFailures = 5;
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?>(Actors.BootstrapSettings)
    {
        ["Bastion:Network:TrustedProxies:0"] = "127.0.0.1",
        ["Bastion:Abuse:Lockout:Account:MaxFailures"] = MaxFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Bastion:Abuse:Lockout:DelayBase"] = "00:00:00",
        ["Bastion:Abuse:IpBlocking:Allowlist:0"] = "127.0.0.0/8",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RotatingAddresses_LockTheAccountForStrangers_WhileTheOwnersDeviceCookieSignsIn()
    {
        var email = NewEmail();
        using var owner = From("203.0.113.10");
        await owner.RegisterAsync(email);
        await owner.LoginForTokensAsync(email);
        Assert.NotNull(owner.Cookie("bastion.device"));

        await AttackAsync(email, MaxFailures);
        using var stranger = From("198.51.100.200");
        await ExpectLockedAsync(await stranger.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword }));

        // The owner's browser, now on an address the account never saw: the cookie alone lets it in.
        Move(owner, "203.0.113.99");
        await owner.LoginForTokensAsync(email);

        using var actors = await Actors.CreateAsync(_host);
        var locks = await TestClient.ExpectAsync(await actors.Root.Http.GetAsync("/api/admin/audit?type=account_locked&pageSize=200"), HttpStatusCode.OK);
        Assert.Contains(locks.GetProperty("items").EnumerateArray(),
            entry => entry.GetRawText().Contains("unfamiliar_sources", StringComparison.Ordinal) && entry.GetRawText().Contains(email, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotatingAddresses_OwnerFromAnAddressThatSignedInBefore_SignsInWithoutACookie()
    {
        var email = NewEmail();
        using (var app = From("203.0.113.20"))
        {
            await app.RegisterAsync(email);
            await app.LoginForTokensAsync(email);
        }

        await AttackAsync(email, MaxFailures);

        using var sameAddress = From("203.0.113.20");
        await sameAddress.LoginForTokensAsync(email);
        using var neighbour = From("203.0.113.21");
        await ExpectLockedAsync(await neighbour.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword }));
    }

    [Fact]
    public async Task LockedAccount_AnswersAlike_WhetherOrNotItExists()
    {
        var known = NewEmail();
        using (var registrar = From("203.0.113.30"))
        {
            await registrar.RegisterAsync(known);
        }

        var answers = new List<string>();
        foreach (var email in new[] { known, NewEmail() })
        {
            await AttackAsync(email, MaxFailures);
            using var stranger = From("198.51.100.201");
            var response = await stranger.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword });
            var problem = await ExpectLockedAsync(response);
            Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
            answers.Add($"{(int)response.StatusCode} {problem.GetProperty("code")} {problem.GetProperty("title")} {problem.GetProperty("detail")}");
        }

        Assert.Equal(answers[0], answers[1]);
    }

    [Fact]
    public async Task FiftyParallelWrongGuesses_FromFiftyAddresses_OnlyMaxFailuresAreChecked()
    {
        var email = NewEmail();
        using (var registrar = From("203.0.113.40"))
        {
            await registrar.RegisterAsync(email);
        }

        var clients = Enumerable.Range(1, 50).Select(i => From($"198.51.101.{i}")).ToList();
        try
        {
            var responses = await Task.WhenAll(clients.Select(c => c.PostJsonAsync("/api/auth/login", new { email, password = "Wr0ng-Guess-Password!" })));

            Assert.Equal(MaxFailures, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
            Assert.Equal(50 - MaxFailures, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private TestClient From(string address)
    {
        var client = _host.CreateClient();
        Move(client, address);
        return client;
    }

    private static void Move(TestClient client, string address)
    {
        client.Http.DefaultRequestHeaders.Remove("X-Forwarded-For");
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
    }

    private static string NewEmail() => $"smart-{Guid.NewGuid():N}@example.com";

    // Each guess from an address of its own: the per-address lockout never sees more than one.
    private async Task AttackAsync(string email, int guesses)
    {
        var prefix = $"198.51.{Random.Shared.Next(102, 250)}";
        for (var i = 1; i <= guesses; i++)
        {
            using var attacker = From($"{prefix}.{i}");
            await TestClient.ExpectProblemAsync(await attacker.PostJsonAsync("/api/auth/login", new { email, password = $"Wr0ng-{i}-Password!" }),
                HttpStatusCode.Unauthorized, "invalid_credentials");
        }
    }

    private static async Task<JsonElement> ExpectLockedAsync(HttpResponseMessage response)
    {
        var problem = await TestClient.ExpectProblemAsync(response, HttpStatusCode.TooManyRequests, "locked_out");
        Assert.NotNull(response.Headers.RetryAfter);
        return problem;
    }
}
