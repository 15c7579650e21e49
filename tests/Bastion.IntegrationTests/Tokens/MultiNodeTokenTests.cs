using System.Diagnostics;
using System.Net;
using Bastion.Tokens;

namespace Bastion.IntegrationTests.Tokens;

/// <summary>What one node revokes or rotates, every node knows within a second.</summary>
public sealed class MultiNodeTokenTests
{
    private static readonly Dictionary<string, string?> NoActivationDelay = new() { ["Bastion:Tokens:KeyActivationDelay"] = "00:00:00" };

    [ProductionStorageFact]
    public async Task Logout_OnOneNode_IsRefusedByTheOtherWithinASecond()
    {
        await using var storage = await TestStorage.CreateAsync();
        await using var nodeA = await TestHost.StartAsync(storage: storage);
        await using var nodeB = await TestHost.StartAsync(storage: storage);
        using var onA = nodeA.CreateClient();
        var email = $"multi-{Guid.NewGuid():N}@example.com";
        await onA.RegisterAsync(email);
        var token = JwtParts.Text(await onA.LoginForTokensAsync(email), "access_token");
        using var onB = nodeB.CreateClient();
        onB.UseBearer(token);
        await TestClient.ExpectAsync(await onB.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);

        onA.UseBearer(token);
        await TestClient.ExpectAsync(await onA.Http.PostAsync("/api/auth/logout", null), HttpStatusCode.NoContent);

        var elapsed = await UntilAsync(async () => (await onB.Http.GetAsync("/api/auth/me")).StatusCode == HttpStatusCode.Unauthorized);
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"Node B still accepted the token after {elapsed}.");
    }

    [ProductionStorageFact]
    public async Task RevokedToken_IsRefusedByANodeStartedAfterTheStateStoreLostItsData()
    {
        await using var storage = await TestStorage.CreateAsync();
        await using var nodeA = await TestHost.StartAsync(storage: storage);
        using var onA = nodeA.CreateClient();
        var email = $"durable-{Guid.NewGuid():N}@example.com";
        await onA.RegisterAsync(email);
        var token = JwtParts.Text(await onA.LoginForTokensAsync(email), "access_token");
        onA.UseBearer(token);
        await TestClient.ExpectAsync(await onA.Http.PostAsync("/api/auth/logout", null), HttpStatusCode.NoContent);

        // Redis restarted without persistence: whatever it held about revocations is gone.
        var state = nodeA.Services.GetRequiredService<Bastion.State.IStateStore>();
        await state.DeleteAsync(storage.Settings["Bastion:State:KeyPrefix"] + "token-revocations");

        await using var nodeB = await TestHost.StartAsync(storage: storage);
        using var onB = nodeB.CreateClient();
        onB.UseBearer(token);
        await TestClient.ExpectProblemAsync(await onB.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_revoked");
    }

    [ProductionStorageFact]
    public async Task KeyRotation_OnOneNode_IsFollowedByTheOther()
    {
        await using var storage = await TestStorage.CreateAsync();
        await using var nodeA = await TestHost.StartAsync(NoActivationDelay, storage);
        await using var nodeB = await TestHost.StartAsync(NoActivationDelay, storage);
        var newKid = await nodeA.Services.GetRequiredService<SigningKeyRing>().RotateAsync(CancellationToken.None);

        using var onA = nodeA.CreateClient();
        var email = $"rotate-{Guid.NewGuid():N}@example.com";
        await onA.RegisterAsync(email);
        var token = JwtParts.Text(await onA.LoginForTokensAsync(email), "access_token");
        Assert.Equal(newKid, (string?)JwtParts.Header(token)["kid"]);

        using var onB = nodeB.CreateClient();
        onB.UseBearer(token);
        var elapsed = await UntilAsync(async () => (await onB.Http.GetAsync("/api/auth/me")).StatusCode == HttpStatusCode.OK);
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"Node B did not know the new key after {elapsed}.");
    }

    private static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition() && stopwatch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        return stopwatch.Elapsed;
    }
}
