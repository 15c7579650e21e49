namespace Bastion.IntegrationTests.Infrastructure;

/// <summary>A test class's own server with a bootstrap super_admin and a clock the test moves by hand.</summary>
public abstract class HostWithClock : IAsyncLifetime
{
    private protected ManualTimeProvider Time { get; } = new();

    private protected TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync(
        Actors.BootstrapSettings,
        configure: builder => builder.Services.AddSingleton<TimeProvider>(Time));

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
