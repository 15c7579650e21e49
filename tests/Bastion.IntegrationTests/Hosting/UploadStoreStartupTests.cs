namespace Bastion.IntegrationTests.Hosting;

/// <summary>A node whose upload store would not be shared by the other nodes refuses to start.</summary>
public sealed class UploadStoreStartupTests
{
    // Redis state is what makes several nodes possible; validation refuses the node before any connection is made.
    private static Dictionary<string, string?> RedisState(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Bastion:State:Provider"] = "Redis",
            ["Bastion:State:Redis"] = "127.0.0.1:1",
            ["Bastion:Secrets:MasterKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    [Fact]
    public async Task DirectoryStore_WithRedisState_RefusesToStartSayingWhatToSet()
    {
        var error = await StartupFailure.MessageAsync(() => TestHost.StartAsync(RedisState(("Bastion:Uploads:Store", "Directory"))));

        Assert.Contains("Bastion:Uploads:Store=Directory", error, StringComparison.Ordinal);
        Assert.Contains("Bastion:Uploads:SharedDirectory=true", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_NotAKnownKind_RefusesToStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestHost.StartAsync(
            new Dictionary<string, string?> { ["Bastion:Uploads:Store"] = "Disk" }));

        Assert.Contains("Bastion:Uploads:Store", error.ToString(), StringComparison.Ordinal);
    }
}
