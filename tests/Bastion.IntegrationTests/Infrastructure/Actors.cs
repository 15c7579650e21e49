using System.Net.Http.Json;
using System.Net;
using System.Text.Json;

namespace Bastion.IntegrationTests.Infrastructure;

/// <summary>Signed-in API clients of each role, created through the real endpoints (bootstrap, register, set roles).</summary>
internal sealed class Actors : IDisposable
{
    public const string RootEmail = "root@example.com";
    public const string RootPassword = "Sup3r-Secret-Admin!";

    private readonly TestHost _host;
    private readonly List<TestClient> _clients = [];

    private Actors(TestHost host) => _host = host;

    public static IDictionary<string, string?> BootstrapSettings => new Dictionary<string, string?>
    {
        ["Bastion:Bootstrap:AdminEmail"] = RootEmail,
        ["Bastion:Bootstrap:AdminPassword"] = RootPassword,
    };

    public TestClient Root { get; private set; } = null!;

    public static async Task<Actors> CreateAsync(TestHost host)
    {
        var actors = new Actors(host);
        actors.Root = actors.Track(host.CreateClient());
        actors.Root.UseBearer(JwtText(await actors.Root.LoginForTokensAsync(RootEmail, RootPassword), "access_token"));
        return actors;
    }

    /// <summary>A new account with <paramref name="role"/> (and a department), signed in with a bearer token.</summary>
    public async Task<(TestClient Client, Guid Id, string Email)> UserAsync(string role, string? department = null)
    {
        var client = Track(_host.CreateClient());
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        var id = (await client.RegisterAsync(email)).GetProperty("id").GetGuid();
        // The department first: once the account holds its role, only someone ranked above it may change it, and
        // nobody is above a super_admin.
        if (department is not null)
        {
            await TestClient.ExpectAsync(await Root.Http.PatchAsJsonAsync($"/api/admin/users/{id}", new { department }), HttpStatusCode.OK);
        }

        if (role != "viewer")
        {
            await TestClient.ExpectAsync(await Root.Http.PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = new[] { role } }), HttpStatusCode.OK);
        }

        client.UseBearer(JwtText(await client.LoginForTokensAsync(email), "access_token"));
        return (client, id, email);
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private TestClient Track(TestClient client)
    {
        _clients.Add(client);
        return client;
    }

    private static string JwtText(JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
