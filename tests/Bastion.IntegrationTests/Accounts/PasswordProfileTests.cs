using System.Net;
using System.Text.Json;

namespace Bastion.IntegrationTests.Accounts;

/// <summary>
/// <c>Bastion:Passwords:Profile</c> chooses the rules new passwords meet: the seeds' composition rules by default, or
/// NIST SP 800-63B-4's length-without-composition, still against the common-password list.
/// </summary>
public sealed class PasswordProfileTests
{
    private const string Passphrase15 = "velvetorbitjams";

    private static Task<TestHost> StartAsync(string? profile) => TestHost.StartAsync(profile is null
        ? null
        : new Dictionary<string, string?> { ["Bastion:Passwords:Profile"] = profile });

    private static async Task<HttpResponseMessage> RegisterAsync(TestHost host, string password)
    {
        using var client = host.CreateClient();
        return await client.PostJsonAsync("/api/auth/register", new { email = $"p-{Guid.NewGuid():N}@example.com", password, fullName = "Profile Person" });
    }

    /// <summary>The password failure codes of a refused registration.</summary>
    private static async Task<IReadOnlyList<string?>> FailedAsync(HttpResponseMessage response)
    {
        var problem = await TestClient.ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        return problem.GetProperty("passwordStrength").GetProperty("failed").EnumerateArray().Select(f => f.GetString()).ToList();
    }

    [Fact]
    public async Task Register_UnderTheNistProfile_AcceptsA15CharacterLowercasePassphrase_ThatTheDefaultRefuses()
    {
        await using (var nist = await StartAsync("Nist80063B"))
        {
            var created = await TestClient.ExpectAsync(await RegisterAsync(nist, Passphrase15), HttpStatusCode.Created);
            Assert.Equal(JsonValueKind.String, created.GetProperty("id").ValueKind);
        }

        await using var seeds = await StartAsync(null);
        Assert.Contains("missing_uppercase", await FailedAsync(await RegisterAsync(seeds, Passphrase15)));
    }

    [Fact]
    public async Task Register_UnderTheNistProfile_Refuses14CharactersAndACommonPassword()
    {
        await using var nist = await StartAsync("Nist80063B");

        Assert.Equal(["too_short"], await FailedAsync(await RegisterAsync(nist, Passphrase15[..14])));
        Assert.Equal(["common_password"], await FailedAsync(await RegisterAsync(nist, "qazwsxedcrfvtgb")));
    }
}
