namespace Bastion.BrowserTests.Infrastructure;

/// <summary>The real Bastion server on a loopback port, started once per test class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    internal TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
