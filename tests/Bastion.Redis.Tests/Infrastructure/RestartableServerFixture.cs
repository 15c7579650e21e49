namespace Bastion.Redis.Tests.Infrastructure;

/// <summary>
/// A password-protected redis-server that the tests of one class kill and start again. Each test leaves it
/// running; tests create their own clients so that a test's reconnect state never leaks into the next.
/// </summary>
public sealed class RestartableServerFixture : IAsyncLifetime
{
    public const string Password = "restart-pass";

    public RedisServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServerProcess.StartAsync(Password);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
