using System.Diagnostics;
using System.Net;

namespace Bastion.IntegrationTests.Abuse;

/// <summary>
/// Lockout, progressive delay and IP blocking. The server trusts loopback as a proxy here, so each test client can
/// present its own address in X-Forwarded-For, as clients behind a real proxy would. The address threshold is set
/// above the lockout threshold so that each defence can be seen on its own.
/// </summary>
public sealed class SignInProtectionTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?>(Actors.BootstrapSettings)
    {
        ["Bastion:Network:TrustedProxies:0"] = "127.0.0.1",
        ["Bastion:Abuse:Lockout:MaxFailures"] = "5",
        ["Bastion:Abuse:Lockout:Duration"] = "00:00:03",
        ["Bastion:Abuse:IpBlocking:MaxFailures"] = "8",
        ["Bastion:Abuse:IpBlocking:Duration"] = "00:00:03",
        ["Bastion:Abuse:IpBlocking:Allowlist:0"] = "127.0.0.0/8",
        ["Bastion:Abuse:IpBlocking:Allowlist:1"] = "192.0.2.0/24",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private TestClient From(string address)
    {
        var client = _host.CreateClient();
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FiveFailures_LockTheAccountForThatAddressOnly_AndTheAnswersDoNotRevealTheAccount(bool accountExists)
    {
        var email = $"victim-{Guid.NewGuid():N}@example.com";
        if (accountExists)
        {
            using var registrar = From("198.51.100.1");
            await registrar.RegisterAsync(email);
        }

        using var attacker = From("198.51.100.10");
        for (var i = 0; i < 5; i++)
        {
            await TestClient.ExpectProblemAsync(await attacker.PostJsonAsync("/api/auth/login", new { email, password = $"Wr0ng-{i}-Password!" }),
                HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var locked = await attacker.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword });
        await TestClient.ExpectProblemAsync(locked, HttpStatusCode.TooManyRequests, "locked_out");
        Assert.InRange(int.Parse(locked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 3);

        // The owner, elsewhere, is not kept out.
        if (accountExists)
        {
            using var owner = From("198.51.100.99");
            await owner.LoginForTokensAsync(email);
        }
    }

    [Fact]
    public async Task Lockout_EndsByItself()
    {
        var email = $"expiry-{Guid.NewGuid():N}@example.com";
        using var client = From("198.51.100.20");
        await client.RegisterAsync(email);
        for (var i = 0; i < 5; i++)
        {
            await client.LoginAsync(email, "Wr0ng-Password!", HttpStatusCode.Unauthorized);
        }

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword }), HttpStatusCode.TooManyRequests, "locked_out");
        await Task.Delay(TimeSpan.FromSeconds(3.5));

        await client.LoginForTokensAsync(email);
    }

    [Fact]
    public async Task FailedAnswers_AreHeldBackLongerEachTime()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bastion:Abuse:Lockout:DelayBase"] = "00:00:00.200" });
        using var client = host.CreateClient();
        var email = $"slow-{Guid.NewGuid():N}@example.com";

        // The first request of a new host pays for compiling the sign-in path; another account's failure pays it here.
        await client.LoginAsync($"warm-up-{Guid.NewGuid():N}@example.com", "Wr0ng-Password!", HttpStatusCode.Unauthorized);
        var durations = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await client.LoginAsync(email, "Wr0ng-Password!", HttpStatusCode.Unauthorized);
            durations.Add(stopwatch.Elapsed);
        }

        // 0, 200 ms, 400 ms, 800 ms of delay on top of the hash. Only lower bounds: a loaded machine makes any
        // answer slower, never faster, so a difference between two answers would be flaky.
        Assert.True(durations[3] >= TimeSpan.FromMilliseconds(800), string.Join(", ", durations));
        Assert.True(durations[2] >= TimeSpan.FromMilliseconds(400), string.Join(", ", durations));
    }

    [Fact]
    public async Task AddressFailingAcrossAccounts_IsBlockedForEveryRequest_UntilAnAdminUnblocksIt()
    {
        using var attacker = From("203.0.113.50");
        for (var i = 0; i < 8; i++)
        {
            await attacker.LoginAsync($"spray{i}@example.com", "Summer2024!", HttpStatusCode.Unauthorized);
        }

        await TestClient.ExpectProblemAsync(await attacker.Http.GetAsync("/api/auth/csrf"), HttpStatusCode.Forbidden, "ip_blocked");
        using var bystander = From("203.0.113.51");
        await TestClient.ExpectAsync(await bystander.Http.GetAsync("/api/auth/csrf"), HttpStatusCode.OK);

        using var actors = await Actors.CreateAsync(_host);
        var blocked = await TestClient.ExpectAsync(await actors.Root.Http.GetAsync("/api/admin/blocked-ips"), HttpStatusCode.OK);
        Assert.Contains(blocked.EnumerateArray(), b => b.GetProperty("address").GetString() == "203.0.113.50");
        var (viewer, _, _) = await actors.UserAsync("viewer");
        await TestClient.ExpectProblemAsync(await viewer.Http.DeleteAsync("/api/admin/blocked-ips/203.0.113.50"), HttpStatusCode.Forbidden, "forbidden");

        await TestClient.ExpectAsync(await actors.Root.Http.DeleteAsync("/api/admin/blocked-ips/203.0.113.50"), HttpStatusCode.NoContent);
        await TestClient.ExpectAsync(await attacker.Http.GetAsync("/api/auth/csrf"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Block_EndsByItself_AndAllowlistedAddressesAreNeverBlocked()
    {
        using var attacker = From("203.0.113.60");
        using var office = From("192.0.2.7");
        for (var i = 0; i < 8; i++)
        {
            await attacker.LoginAsync($"spray-x{i}@example.com", "Summer2024!", HttpStatusCode.Unauthorized);
            await office.LoginAsync($"typo-x{i}@example.com", "Summer2024!", HttpStatusCode.Unauthorized);
        }

        await TestClient.ExpectProblemAsync(await attacker.Http.GetAsync("/api/auth/csrf"), HttpStatusCode.Forbidden, "ip_blocked");
        await TestClient.ExpectAsync(await office.Http.GetAsync("/api/auth/csrf"), HttpStatusCode.OK);

        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await TestClient.ExpectAsync(await attacker.Http.GetAsync("/api/auth/csrf"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ForwardedFor_FromAnUntrustedPeer_DoesNotEscapeTheLockout()
    {
        // No trusted proxy here: X-Forwarded-For is the attacker's own invention and is ignored.
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bastion:Abuse:Lockout:MaxFailures"] = "3" });
        using var client = host.CreateClient();
        var email = $"spoof-{Guid.NewGuid():N}@example.com";
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { email, password = "Wr0ng-Password!" }) };
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.Http.SendAsync(request)).StatusCode);
        }

        using var last = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { email, password = "Wr0ng-Password!" }) };
        last.Headers.Add("X-Forwarded-For", "198.51.100.200");
        await TestClient.ExpectProblemAsync(await client.Http.SendAsync(last), HttpStatusCode.TooManyRequests, "locked_out");
    }

    [ProductionStorageFact]
    public async Task BlockOnOneNode_IsEnforcedByTheOtherWithinASecond()
    {
        await using var storage = await TestStorage.CreateAsync();
        var settings = new Dictionary<string, string?> { ["Bastion:Network:TrustedProxies:0"] = "127.0.0.1", ["Bastion:Abuse:IpBlocking:MaxFailures"] = "2" };
        await using var nodeA = await TestHost.StartAsync(settings, storage);
        await using var nodeB = await TestHost.StartAsync(settings, storage);
        using var onA = nodeA.CreateClient();
        onA.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.70");
        using var onB = nodeB.CreateClient();
        onB.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.70");

        await onA.LoginAsync("a@example.com", "Summer2024!", HttpStatusCode.Unauthorized);
        await onA.LoginAsync("b@example.com", "Summer2024!", HttpStatusCode.Unauthorized);

        var stopwatch = Stopwatch.StartNew();
        while ((await onB.Http.GetAsync("/api/auth/csrf")).StatusCode != HttpStatusCode.Forbidden && stopwatch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"Node B let the address in for {stopwatch.Elapsed}.");
    }
}
