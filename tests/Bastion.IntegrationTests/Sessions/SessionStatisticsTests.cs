using System.Net;
using System.Text.Json;

namespace Bastion.IntegrationTests.Sessions;

/// <summary>GET /api/admin/sessions/stats: who is signed in, counted on the shared store and the database, for admins only.</summary>
public sealed class SessionStatisticsTests : HostWithActors
{
    [Fact]
    public async Task CountsLiveSessionsAndTokenFamilies_AndFollowsSignOuts()
    {
        var (admin, _, _) = await Actors.UserAsync("admin");
        var before = await StatsAsync(admin);
        var email = $"stats-{Guid.NewGuid():N}@example.com";
        using var first = Host.CreateClient();
        await first.RegisterAsync(email);
        await first.LoginAsync(email);
        using var second = Host.CreateClient();
        await second.LoginAsync(email);
        using var api = Host.CreateClient();
        await api.LoginForTokensAsync(email);

        var during = await StatsAsync(admin);
        Assert.Equal(before.GetProperty("activeSessions").GetInt32() + 2, during.GetProperty("activeSessions").GetInt32());
        Assert.Equal(before.GetProperty("usersWithSessions").GetInt32() + 1, during.GetProperty("usersWithSessions").GetInt32());
        Assert.Equal(before.GetProperty("activeTokenFamilies").GetInt32() + 1, during.GetProperty("activeTokenFamilies").GetInt32());
        Assert.True(during.GetProperty("usersSignedInLast24Hours").GetInt32() >= 1);

        await first.UseCsrfTokenAsync();
        await TestClient.ExpectAsync(await first.Http.PostAsync("/api/auth/logout", null), HttpStatusCode.NoContent);

        var after = await StatsAsync(admin);
        Assert.Equal(during.GetProperty("activeSessions").GetInt32() - 1, after.GetProperty("activeSessions").GetInt32());
    }

    [Fact]
    public async Task IsForAdministratorsOnly()
    {
        var (viewer, _, _) = await Actors.UserAsync("viewer");
        var (manager, _, _) = await Actors.UserAsync("manager");

        await TestClient.ExpectAsync(await Host.CreateClient().Http.GetAsync("/api/admin/sessions/stats"), HttpStatusCode.Unauthorized);
        await TestClient.ExpectProblemAsync(await viewer.Http.GetAsync("/api/admin/sessions/stats"), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectProblemAsync(await manager.Http.GetAsync("/api/admin/sessions/stats"), HttpStatusCode.Forbidden, "forbidden");
    }

    private static async Task<JsonElement> StatsAsync(TestClient admin)
        => await TestClient.ExpectAsync(await admin.Http.GetAsync("/api/admin/sessions/stats"), HttpStatusCode.OK);
}
