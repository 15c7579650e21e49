namespace Bastion.IntegrationTests.Infrastructure;

/// <summary>A test class's own server with a bootstrap super_admin, and a way to make users of any role.</summary>
public abstract class HostWithActors : IAsyncLifetime
{
    private protected TestHost Host { get; private set; } = null!;

    private protected Actors Actors { get; private set; } = null!;

    /// <summary>Settings on top of the bootstrap administrator's.</summary>
    private protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>(Actors.BootstrapSettings);
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        Host = await TestHost.StartAsync(settings);
        Actors = await Actors.CreateAsync(Host);
    }

    public async Task DisposeAsync()
    {
        Actors.Dispose();
        await Host.DisposeAsync();
    }
}
