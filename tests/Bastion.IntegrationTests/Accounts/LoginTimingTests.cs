using System.Diagnostics;
using System.Net;

namespace Bastion.IntegrationTests.Accounts;

/// <summary>Timing is measured alone: other tests running in parallel would be the noise it has to see through.</summary>
[CollectionDefinition(nameof(LoginTimingTests), DisableParallelization = true)]
public sealed class LoginTimingCollection;

[Collection(nameof(LoginTimingTests))]
public sealed class LoginTimingTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Login_UnknownEmailAndWrongPassword_TakeTheSameTimeWithinNoise()
    {
        using var client = _host.CreateClient();
        await client.RegisterAsync("timing@example.com");
        await client.LoginAsync("nobody-warmup@example.com", expected: HttpStatusCode.Unauthorized);

        // Interleaved samples and medians. Skipping the dummy verification would make the unknown e-mail about
        // ten times faster (no hash against a whole Argon2id hash), far outside this band.
        var unknown = new List<double>();
        var wrong = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            unknown.Add(await TimeAsync(() => client.LoginAsync($"nobody{i}@example.com", "Wr0ng-Password!", HttpStatusCode.Unauthorized)));
            wrong.Add(await TimeAsync(() => client.LoginAsync("timing@example.com", "Wr0ng-Password!", HttpStatusCode.Unauthorized)));
        }

        Assert.InRange(Median(unknown) / Median(wrong), 0.5, 2.0);
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var stopwatch = Stopwatch.StartNew();
        await action();
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
