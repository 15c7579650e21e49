using System.Net;

namespace Bastion.IntegrationTests.Accounts;

public sealed class RegistrationTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Register_WithValidFields_CreatesActiveViewer()
    {
        using var client = _host.CreateClient();
        var body = await client.RegisterAsync("New.Person@Example.com");

        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Equal("New.Person@Example.com", body.GetProperty("email").GetString());
        var me = await client.LoginAsync("new.person@example.com");
        Assert.Equal(["viewer"], me.GetProperty("user").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Register_WithRequestedRoleAboveViewer_IsPendingApprovalAndCannotSignIn()
    {
        using var client = _host.CreateClient();
        var response = await client.PostJsonAsync("/api/auth/register",
            new { email = "ops@example.com", password = TestClient.StrongPassword, fullName = "Ops Person", requestedRole = "operator" });

        var body = await TestClient.ExpectAsync(response, HttpStatusCode.Created);
        Assert.Equal("pending_approval", body.GetProperty("status").GetString());
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/login", new { email = "ops@example.com", password = TestClient.StrongPassword }),
            HttpStatusCode.Forbidden, "account_pending");
    }

    [Theory]
    [InlineData("super_admin")]
    [InlineData("root")]
    public async Task Register_RequestingUnknownOrTopRole_IsRefused(string role)
    {
        using var client = _host.CreateClient();
        var response = await client.PostJsonAsync("/api/auth/register",
            new { email = "x@example.com", password = TestClient.StrongPassword, fullName = "X Person", requestedRole = role });

        var problem = await TestClient.ExpectProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("requestedRole", out _));
    }

    [Fact]
    public async Task Register_SameEmailInOtherCase_IsRefusedAsTaken()
    {
        using var client = _host.CreateClient();
        await client.RegisterAsync("case@example.com");

        await TestClient.ExpectProblemAsync(
            await client.PostJsonAsync("/api/auth/register", new { email = "  CASE@Example.COM ", password = TestClient.StrongPassword, fullName = "Other" }),
            HttpStatusCode.Conflict, "email_taken");
    }

    [Fact]
    public async Task Register_WithWeakPassword_ListsEveryFailedRequirementAndAScore()
    {
        using var client = _host.CreateClient();
        var response = await client.PostJsonAsync("/api/auth/register", new { email = "weak@example.com", password = "password", fullName = "Weak Person" });

        var problem = await TestClient.ExpectProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        var failed = problem.GetProperty("passwordStrength").GetProperty("failed").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Contains("missing_uppercase", failed);
        Assert.Contains("missing_digit", failed);
        Assert.Contains("missing_special", failed);
        Assert.Contains("common_password", failed);
        Assert.Equal(0, problem.GetProperty("passwordStrength").GetProperty("score").GetInt32());
        Assert.Equal(failed.Count, problem.GetProperty("errors").GetProperty("password").GetArrayLength());
    }

    [Fact]
    public async Task Register_WithPasswordContainingEmailOrName_IsRefused()
    {
        using var client = _host.CreateClient();
        var response = await client.PostJsonAsync("/api/auth/register", new { email = "marguerite@example.com", password = "Marguerite#2024x", fullName = "Marguerite Duras" });

        var problem = await TestClient.ExpectProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("contains_personal_info", problem.GetProperty("passwordStrength").GetProperty("failed").EnumerateArray().Select(f => f.GetString()));
    }

    [Theory]
    [InlineData("{\"email\":\"a@example.com\",\"password\":\"Corr3ct-Horse-Battery!\",\"fullName\":\"A Person\",\"role\":\"admin\"}", "unknown_field")]
    [InlineData("{\"email\":\"a@example.com\",\"password\":\"Corr3ct-Horse-Battery!\",\"fullName\":\"A Person\",\"id\":\"00000000-0000-0000-0000-000000000001\"}", "unknown_field")]
    [InlineData("{\"email\":\"a@example.com\",", "invalid_request")]
    [InlineData("[1,2,3]", "invalid_request")]
    [InlineData("{\"email\":42}", "invalid_request")]
    public async Task Register_WithMalformedOrUnknownFields_IsRefusedWithSpecificCode(string json, string code)
    {
        using var client = _host.CreateClient();
        await TestClient.ExpectProblemAsync(await client.PostRawJsonAsync("/api/auth/register", json), HttpStatusCode.BadRequest, code);
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/login", new { email = "a@example.com", password = TestClient.StrongPassword }),
            HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Register_WithEmptyBody_IsRefused()
    {
        using var client = _host.CreateClient();
        var response = await client.Http.PostAsync("/api/auth/register", new StringContent(string.Empty, System.Text.Encoding.UTF8, "application/json"));
        await TestClient.ExpectProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Register_WithOversizedBody_Answers413()
    {
        using var client = _host.CreateClient();
        var json = "{\"email\":\"big@example.com\",\"password\":\"Corr3ct-Horse-Battery!\",\"fullName\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";
        await TestClient.ExpectProblemAsync(await client.PostRawJsonAsync("/api/auth/register", json), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Theory]
    [InlineData("x'; DROP TABLE users;--@example.com", "Robert Tables", "email")]
    [InlineData("admin@example.com' OR '1'='1", "Robert Tables", "email")]
    [InlineData("bobby@example.com", "Robert'); DROP TABLE users;--", "fullName")]
    [InlineData("\u0430dmin@example.com", "Cyrillic Lookalike", "email")]
    [InlineData("admin@ex\u0430mple.com", "Cyrillic Lookalike", "email")]
    [InlineData("plain1@example.com", "Evil\u202Egnp.exe", "fullName")]
    [InlineData("plain2@example.com", "Zero\u200BWidth", "fullName")]
    [InlineData("plain3@example.com", "<script>alert(1)</script>", "fullName")]
    public async Task Register_WithInjectionOrLookalikeCharacters_IsRefusedAndStoresNothing(string email, string fullName, string field)
    {
        using var client = _host.CreateClient();
        await client.RegisterAsync("keeper@example.com");

        var response = await client.PostJsonAsync("/api/auth/register", new { email, password = TestClient.StrongPassword, fullName });

        var problem = await TestClient.ExpectProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        await client.LoginAsync("keeper@example.com");
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Bastion.Storage.BastionDbContext>();
        Assert.Equal(1, db.Users.Count());
    }

    [Theory]
    [InlineData("\uff30\uff41\uff53\uff53\uff57\uff4f\uff52\uff44\uff11\uff12\uff13!", "common_password")]
    [InlineData("\uff2d\uff41\uff52\uff47\uff4f\uff54\uff0e2024#x", "contains_personal_info")]
    [InlineData("E\u0301x\u0301Q\u03017!", "too_short")]
    public async Task Register_WithFullWidthOrCombiningPassword_IsJudgedAsItIsHashed(string password, string failure)
    {
        using var client = _host.CreateClient();
        var response = await client.PostJsonAsync("/api/auth/register", new { email = "margot@example.com", password, fullName = "Margot Robbie" });

        var problem = await TestClient.ExpectProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains(failure, problem.GetProperty("passwordStrength").GetProperty("failed").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task Register_WithDuplicateOrMiscasedJsonKeys_IsRefused()
    {
        using var client = _host.CreateClient();
        await TestClient.ExpectProblemAsync(await client.PostRawJsonAsync("/api/auth/register",
            "{\"email\":\"a@example.com\",\"email\":\"b@example.com\",\"password\":\"Corr3ct-Horse-Battery!\",\"fullName\":\"A Person\"}"),
            HttpStatusCode.BadRequest, "invalid_request");
        await TestClient.ExpectProblemAsync(await client.PostRawJsonAsync("/api/auth/register",
            "{\"EMAIL\":\"a@example.com\",\"password\":\"Corr3ct-Horse-Battery!\",\"fullName\":\"A Person\"}"),
            HttpStatusCode.BadRequest, "unknown_field");
    }

    [Fact]
    public async Task Register_ConcurrentlyWithSameEmail_CreatesExactlyOneAccount()
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var client = _host.CreateClient();
            var response = await client.PostJsonAsync("/api/auth/register", new { email = "race@example.com", password = TestClient.StrongPassword, fullName = "Race Person" });
            return response.StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
    }
}
