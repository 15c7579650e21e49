namespace Bastion.Redis.Tests.Infrastructure;

/// <summary>
/// One password-protected redis-server per test class, with a connected client. Every test therefore also
/// exercises AUTH in the handshake.
/// </summary>
public sealed class PasswordProtectedServerFixture : IAsyncLifetime
{
    public const string Password = "s3cret-for-tests";

    public RedisServerProcess Server { get; private set; } = null!;

    public RedisClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RedisServerProcess.StartAsync(Password);
        Client = await RedisClient.ConnectAsync(Server.Configuration());
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
