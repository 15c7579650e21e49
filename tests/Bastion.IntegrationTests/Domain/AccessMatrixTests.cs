using System.Net;
using Bastion.Access;
using Bastion.Server.Domain;

namespace Bastion.IntegrationTests.Domain;

/// <summary>
/// The default matrix, role × action × owner × department, generated rather than hand-picked. The expectation is
/// written here from the documented rules, independently of the server's tables.
/// </summary>
public sealed class AccessMatrixTests(AccessMatrixTests.Fixture fixture) : IClassFixture<AccessMatrixTests.Fixture>
{
    private static readonly string[] RolesLowToHigh = ["viewer", "operator", "manager", "admin", "super_admin"];

    public static TheoryData<string, bool, bool, string> Cases()
    {
        var data = new TheoryData<string, bool, bool, string>();
        foreach (var role in RolesLowToHigh)
        {
            foreach (var own in new[] { true, false })
            {
                foreach (var sameDepartment in new[] { true, false })
                {
                    foreach (var action in new[] { "read", "update", "delete" })
                    {
                        data.Add(role, own, sameDepartment, action);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Equipment_AsRoleOwnerAndDepartment_AllowsExactlyTheDocumentedActions(string role, bool own, bool sameDepartment, string action)
    {
        var actor = fixture.Actor(role);
        var id = await fixture.CreateEquipmentAsync(own ? actor.Id : fixture.Stranger, sameDepartment ? "Engineering" : "Sales");

        var response = action switch
        {
            "read" => await actor.Client.Http.GetAsync($"/api/equipment/{id}"),
            "update" => await actor.Client.Http.PutAsJsonAsync($"/api/equipment/{id}", new { name = "Renamed", serialNumber = "SN-2", cost = 10m }),
            _ => await actor.Client.Http.DeleteAsync($"/api/equipment/{id}"),
        };

        if (Expected(role, own, sameDepartment, action))
        {
            Assert.True(response.IsSuccessStatusCode, $"{role} own={own} same={sameDepartment} {action}: {(int)response.StatusCode}");
        }
        else
        {
            await TestClient.ExpectProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
        }
    }

    [Theory]
    [InlineData("viewer", false)]
    [InlineData("operator", true)]
    [InlineData("manager", true)]
    [InlineData("admin", true)]
    [InlineData("super_admin", true)]
    public async Task Equipment_Create_IsForOperatorsAndAbove(string role, bool allowed)
    {
        var response = await fixture.Actor(role).Client.Http.PostAsJsonAsync("/api/equipment", new { name = "Drill", serialNumber = "SN-NEW", cost = 5m });
        Assert.Equal(allowed ? HttpStatusCode.Created : HttpStatusCode.Forbidden, response.StatusCode);
    }

    // viewer reads; operator creates and edits its own; manager edits and deletes within its department;
    // admin manages users (and keeps the manager's rights); super_admin may do anything.
    private static bool Expected(string role, bool own, bool sameDepartment, string action)
    {
        var rank = Array.IndexOf(RolesLowToHigh, role);
        return action switch
        {
            "read" => true,
            "update" => (rank >= 1 && own) || (rank >= 2 && sameDepartment) || role == "super_admin",
            _ => (rank >= 2 && sameDepartment) || role == "super_admin",
        };
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly Dictionary<string, (TestClient Client, Guid Id)> _actors = [];
        private TestHost _host = null!;
        private Actors _people = null!;

        public Guid Stranger { get; private set; }

        internal (TestClient Client, Guid Id) Actor(string role) => _actors[role];

        public async Task InitializeAsync()
        {
            _host = await TestHost.StartAsync(Actors.BootstrapSettings);
            _people = await Actors.CreateAsync(_host);
            foreach (var role in RolesLowToHigh)
            {
                var (client, id, _) = await _people.UserAsync(role, "Engineering");
                _actors[role] = (client, id);
            }

            Stranger = (await _people.UserAsync("operator", "Sales")).Id;
        }

        /// <summary>A record with the given owner and department, written directly: no API lets a client choose them.</summary>
        public async Task<Guid> CreateEquipmentAsync(Guid owner, string department)
        {
            await using var scope = _host.Services.CreateAsyncScope();
            var equipment = scope.ServiceProvider.GetRequiredService<EquipmentService>();
            var subject = new AccessSubject(owner, department, true, ["operator"], 20, []);
            var record = equipment.New(subject, new EquipmentRequest("Lathe", "SN-1", 100m, "A lathe", "Quarterly service"));
            await equipment.Db.SaveChangesAsync();
            return record.Id;
        }

        public async Task DisposeAsync()
        {
            _people.Dispose();
            await _host.DisposeAsync();
        }
    }
}
