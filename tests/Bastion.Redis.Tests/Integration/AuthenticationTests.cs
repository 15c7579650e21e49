using Bastion.Redis.Tests.Infrastructure;

namespace Bastion.Redis.Tests.Integration;

public sealed class AuthenticationTests : IClassFixture<PasswordProtectedServerFixture>
{
    private readonly PasswordProtectedServerFixture _fixture;

    public AuthenticationTests(PasswordProtectedServerFixture fixture) => _fixture = fixture;

    private int Port => _fixture.Server.Port;

    [Fact]
    public async Task Connect_WithWrongPassword_ThrowsConnectionExceptionExplainingTheRejection()
    {
        RedisConnectionException exception = await Assert.ThrowsAsync<RedisConnectionException>(
            () => RedisClient.ConnectAsync($"127.0.0.1:{Port},password=wrong-password-123"));

        Assert.Contains("rejected the handshake", exception.Message, StringComparison.Ordinal);
        Assert.Contains("WRONGPASS", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-123", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_WithoutPasswordToProtectedServer_FailsWithNoAuth()
    {
        RedisConnectionException exception = await Assert.ThrowsAsync<RedisConnectionException>(
            () => RedisClient.ConnectAsync($"127.0.0.1:{Port}"));

        Assert.Contains("NOAUTH", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_WithAclUserAndPassword_AuthenticatesAsThatUser()
    {
        await _fixture.Client.ExecuteAsync("ACL", "SETUSER", "sessions", "on", ">user-pass", "~*", "+@all");

        await using RedisClient client = await RedisClient.ConnectAsync($"127.0.0.1:{Port},user=sessions,password=user-pass");

        Assert.Equal("sessions", (await client.ExecuteAsync("ACL", "WHOAMI")).AsString());
    }

    [Fact]
    public async Task Connect_WithUnknownUser_ThrowsConnectionException()
    {
        RedisConnectionException exception = await Assert.ThrowsAsync<RedisConnectionException>(
            () => RedisClient.ConnectAsync($"127.0.0.1:{Port},user=nobody,password=user-pass"));

        Assert.Contains("WRONGPASS", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_ToPortWithoutServer_ThrowsConnectionExceptionQuickly()
    {
        await using RedisServerProcess stopped = await RedisServerProcess.StartAsync();
        await stopped.StopAsync();

        RedisConnectionException exception = await Assert.ThrowsAsync<RedisConnectionException>(
            () => RedisClient.ConnectAsync(stopped.Configuration("connectTimeout=2000")));

        Assert.Contains($"127.0.0.1:{stopped.Port}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_OfClient_NeverContainsPassword()
    {
        string text = _fixture.Client.ToString();

        Assert.DoesNotContain(PasswordProtectedServerFixture.Password, text, StringComparison.Ordinal);
        Assert.Contains("password=*****", text, StringComparison.Ordinal);
    }
}
