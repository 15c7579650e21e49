using System.Net;

namespace Bastion.IntegrationTests.Access;

public sealed class UserAdministrationTests : HostWithActors
{
    [Fact]
    public async Task ListUsers_AnswersByWhoAsks()
    {
        using var anonymous = Host.CreateClient();
        await TestClient.ExpectProblemAsync(await anonymous.Http.GetAsync("/api/admin/users"), HttpStatusCode.Unauthorized, "unauthenticated");
        var (manager, _, _) = await Actors.UserAsync("manager");
        await TestClient.ExpectProblemAsync(await manager.Http.GetAsync("/api/admin/users"), HttpStatusCode.Forbidden, "forbidden");
        var (admin, _, _) = await Actors.UserAsync("admin");

        var page = await TestClient.ExpectAsync(await admin.Http.GetAsync("/api/admin/users?pageSize=2"), HttpStatusCode.OK);

        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.True(page.GetProperty("total").GetInt32() >= 3);
    }

    [Theory]
    [InlineData("' OR '1'='1")]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("\\")]
    [InlineData("x'; DROP TABLE users;--")]
    public async Task ListUsers_WithSqlMetacharacters_MatchesThemLiterally(string query)
    {
        await Actors.UserAsync("viewer");

        var page = await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync($"/api/admin/users?q={Uri.EscapeDataString(query)}"), HttpStatusCode.OK);

        Assert.Equal(0, page.GetProperty("total").GetInt32());
        Assert.True((await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync("/api/admin/users"), HttpStatusCode.OK)).GetProperty("total").GetInt32() >= 2);
    }

    [Theory]
    [InlineData("?page=0")]
    [InlineData("?pageSize=101")]
    [InlineData("?page=abc")]
    public async Task ListUsers_WithBadPaging_IsRefused(string query)
    {
        var response = await Actors.Root.Http.GetAsync("/api/admin/users" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Approve_GrantsTheRequestedRole_WhenItIsNotAboveTheApprover()
    {
        using var applicant = Host.CreateClient();
        var id = (await TestClient.ExpectAsync(await applicant.PostJsonAsync("/api/auth/register",
            new { email = "ops@example.com", password = TestClient.StrongPassword, fullName = "Ops Person", requestedRole = "admin" }), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var (manager, _, _) = await Actors.UserAsync("manager");
        var (admin, _, _) = await Actors.UserAsync("admin");

        await TestClient.ExpectProblemAsync(await manager.Http.PostAsync($"/api/admin/users/{id}/approve", null), HttpStatusCode.Forbidden, "forbidden");
        var approved = await TestClient.ExpectAsync(await admin.Http.PostAsync($"/api/admin/users/{id}/approve", null), HttpStatusCode.OK);

        Assert.Equal("active", approved.GetProperty("status").GetString());
        Assert.Equal(["admin"], approved.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        await TestClient.ExpectProblemAsync(await Actors.Root.Http.PostAsync($"/api/admin/users/{id}/approve", null), HttpStatusCode.Conflict, "conflict");

        // Now a peer of the approver's rank: only someone above may manage the account from here on.
        await TestClient.ExpectProblemAsync(await admin.Http.PostAsync($"/api/admin/users/{id}/disable", null), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task SetRoles_AboveOwnRoleOrOnAHigherAccountOrOnSelf_IsForbidden()
    {
        var (admin, adminId, _) = await Actors.UserAsync("admin");
        var (_, viewerId, _) = await Actors.UserAsync("viewer");
        var rootId = (await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK)).GetProperty("id").GetGuid();

        await TestClient.ExpectProblemAsync(await admin.Http.PutAsJsonAsync($"/api/admin/users/{viewerId}/roles", new { roles = new[] { "super_admin" } }), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectProblemAsync(await admin.Http.PutAsJsonAsync($"/api/admin/users/{rootId}/roles", new { roles = new[] { "viewer" } }), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectProblemAsync(await admin.Http.PutAsJsonAsync($"/api/admin/users/{adminId}/roles", new { roles = new[] { "super_admin" } }), HttpStatusCode.Forbidden, "self_change_refused");
        await TestClient.ExpectProblemAsync(await admin.Http.PutAsJsonAsync($"/api/admin/users/{viewerId}/roles", new { roles = new[] { "emperor" } }), HttpStatusCode.BadRequest, "validation_failed");
        await TestClient.ExpectProblemAsync(await admin.Http.PutAsJsonAsync($"/api/admin/users/{Guid.NewGuid()}/roles", new { roles = new[] { "viewer" } }), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task DisableEnableAndSetRoles_OnAnAccountOfTheSameRank_AreForbidden_AndAllowedFromAbove()
    {
        var (admin, _, _) = await Actors.UserAsync("admin");
        var (peer, peerId, _) = await Actors.UserAsync("admin");

        await TestClient.ExpectProblemAsync(await admin.Http.PostAsync($"/api/admin/users/{peerId}/disable", null), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectProblemAsync(await admin.Http.PutAsJsonAsync($"/api/admin/users/{peerId}/roles", new { roles = new[] { "viewer" } }), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectProblemAsync(await admin.Http.PatchAsJsonAsync($"/api/admin/users/{peerId}", new { department = "Elsewhere" }), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectAsync(await peer.Http.GetAsync("/api/admin/users"), HttpStatusCode.OK);

        // The super_admin above both may; and once the peer is disabled, a same-rank admin cannot bring it back.
        await TestClient.ExpectAsync(await Actors.Root.Http.PostAsync($"/api/admin/users/{peerId}/disable", null), HttpStatusCode.OK);
        await TestClient.ExpectProblemAsync(await admin.Http.PostAsync($"/api/admin/users/{peerId}/enable", null), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectAsync(await Actors.Root.Http.PostAsync($"/api/admin/users/{peerId}/enable", null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Update_OfOwnDepartment_IsRefused_WhileOwnNameMayChange()
    {
        var (admin, adminId, _) = await Actors.UserAsync("admin", department: "sales");

        await TestClient.ExpectProblemAsync(
            await admin.Http.PatchAsJsonAsync($"/api/admin/users/{adminId}", new { department = "engineering" }), HttpStatusCode.Forbidden, "self_change_refused");
        await TestClient.ExpectProblemAsync(
            await admin.Http.PatchAsJsonAsync($"/api/admin/users/{adminId}", new { department = "" }), HttpStatusCode.Forbidden, "self_change_refused");
        await TestClient.ExpectProblemAsync(await admin.Http.PostAsync($"/api/admin/users/{adminId}/disable", null), HttpStatusCode.Forbidden, "self_change_refused");

        var renamed = await TestClient.ExpectAsync(
            await admin.Http.PatchAsJsonAsync($"/api/admin/users/{adminId}", new { fullName = "Renamed Admin", department = "sales" }), HttpStatusCode.OK);
        Assert.Equal("sales", renamed.GetProperty("department").GetString());
        Assert.Equal("Renamed Admin", renamed.GetProperty("fullName").GetString());
    }

    [Fact]
    public async Task SetRoles_TakesEffectAtOnce_EvenForTokensIssuedBefore()
    {
        var (user, userId, _) = await Actors.UserAsync("viewer");
        await TestClient.ExpectProblemAsync(await user.Http.GetAsync("/api/admin/users"), HttpStatusCode.Forbidden, "forbidden");

        await TestClient.ExpectAsync(await Actors.Root.Http.PutAsJsonAsync($"/api/admin/users/{userId}/roles", new { roles = new[] { "admin" } }), HttpStatusCode.OK);
        await TestClient.ExpectAsync(await user.Http.GetAsync("/api/admin/users"), HttpStatusCode.OK);
        var me = await TestClient.ExpectAsync(await user.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.Equal(["admin"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("users:read", me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        await TestClient.ExpectAsync(await Actors.Root.Http.PutAsJsonAsync($"/api/admin/users/{userId}/roles", new { roles = new[] { "viewer" } }), HttpStatusCode.OK);
        await TestClient.ExpectProblemAsync(await user.Http.GetAsync("/api/admin/users"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Disable_WhenEndingTheTokenFamiliesFails_ChangesNothing_AndTheRetryDisables()
    {
        var (user, userId, _) = await Actors.UserAsync("operator");
        var (admin, _, _) = await Actors.UserAsync("admin");

        await using (await Host.RefuseUpdatesAsync("token_families"))
        {
            var failed = await admin.Http.PostAsync($"/api/admin/users/{userId}/disable", null);
            Assert.True((int)failed.StatusCode >= 500, $"expected the disable to fail, got {(int)failed.StatusCode}");
        }

        // Neither the status nor the revocation was kept: the account works, and disabling it again does both.
        await TestClient.ExpectAsync(await user.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        await TestClient.ExpectAsync(await admin.Http.PostAsync($"/api/admin/users/{userId}/disable", null), HttpStatusCode.OK);
        await TestClient.ExpectProblemAsync(await user.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_revoked");
    }

    [Fact]
    public async Task Disable_EndsEverySessionAndTokenAndRefusesSignIn()
    {
        var (user, userId, email) = await Actors.UserAsync("operator");
        using var browser = Host.CreateClient();
        await browser.LoginAsync(email);
        var (admin, _, _) = await Actors.UserAsync("admin");

        await TestClient.ExpectAsync(await admin.Http.PostAsync($"/api/admin/users/{userId}/disable", null), HttpStatusCode.OK);

        await TestClient.ExpectProblemAsync(await user.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("/api/auth/me")).StatusCode);
        using var again = Host.CreateClient();
        await TestClient.ExpectProblemAsync(await again.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword }), HttpStatusCode.Forbidden, "account_disabled");

        await TestClient.ExpectAsync(await admin.Http.PostAsync($"/api/admin/users/{userId}/enable", null), HttpStatusCode.OK);
        await again.LoginForTokensAsync(email);
    }

    [Fact]
    public async Task Update_SetsDepartmentAndName_AndRefusesBadValues()
    {
        var (_, userId, _) = await Actors.UserAsync("viewer");

        var updated = await TestClient.ExpectAsync(await Actors.Root.Http.PatchAsJsonAsync($"/api/admin/users/{userId}", new { department = "Engineering", fullName = "Renamed Person" }), HttpStatusCode.OK);
        Assert.Equal("Engineering", updated.GetProperty("department").GetString());
        Assert.Equal("Renamed Person", updated.GetProperty("fullName").GetString());

        await TestClient.ExpectProblemAsync(await Actors.Root.Http.PatchAsJsonAsync($"/api/admin/users/{userId}", new { department = "<script>" }), HttpStatusCode.BadRequest, "validation_failed");
        await TestClient.ExpectProblemAsync(await Actors.Root.Http.PatchAsJsonAsync($"/api/admin/users/{userId}", new { status = "active" }), HttpStatusCode.BadRequest, "unknown_field");
        await TestClient.ExpectProblemAsync(await Actors.Root.Http.PatchAsJsonAsync($"/api/admin/users/{userId}", new { roles = new[] { "super_admin" } }), HttpStatusCode.BadRequest, "unknown_field");
    }

    [Fact]
    public async Task RoleMatrix_IsEditableBySuperAdminOnly_AndAppliesAtOnce()
    {
        var (viewer, _, _) = await Actors.UserAsync("viewer");
        var (admin, _, _) = await Actors.UserAsync("admin");
        await TestClient.ExpectProblemAsync(await admin.Http.PutAsJsonAsync("/api/admin/roles/viewer/permissions", new { permissions = Array.Empty<string>() }), HttpStatusCode.Forbidden, "forbidden");

        await TestClient.ExpectAsync(await Actors.Root.Http.PutAsJsonAsync("/api/admin/roles/viewer/permissions", new { permissions = new[] { "reports:read" } }), HttpStatusCode.NoContent);

        var me = await TestClient.ExpectAsync(await viewer.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.Equal(["reports:read"], me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        await TestClient.ExpectProblemAsync(await Actors.Root.Http.PutAsJsonAsync("/api/admin/roles/viewer/permissions", new { permissions = new[] { "nuke:all" } }), HttpStatusCode.BadRequest, "validation_failed");
        await TestClient.ExpectProblemAsync(await Actors.Root.Http.PostAsJsonAsync("/api/admin/permissions",
            new { resource = "equipment", action = "export", condition = "full_moon", description = "Export" }), HttpStatusCode.BadRequest, "validation_failed");
        await TestClient.ExpectAsync(await Actors.Root.Http.PostAsJsonAsync("/api/admin/permissions",
            new { resource = "equipment", action = "export", condition = "department:sales", description = "Export sales equipment" }), HttpStatusCode.Created);
    }
}
