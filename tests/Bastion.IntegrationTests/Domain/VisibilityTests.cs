using System.Net;

namespace Bastion.IntegrationTests.Domain;

/// <summary>With reads limited by a condition, records outside it do not exist for the caller: 404, never 403.</summary>
public sealed class VisibilityTests : HostWithActors
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await TestClient.ExpectAsync(await Actors.Root.Http.PostAsJsonAsync("/api/admin/permissions",
            new { resource = "equipment", action = "read", condition = "same_department", description = "Read equipment of one's department" }), HttpStatusCode.Created);
        await TestClient.ExpectAsync(await Actors.Root.Http.PutAsJsonAsync("/api/admin/roles/viewer/permissions",
            new { permissions = new[] { "equipment:read:same_department", "reports:read" } }), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task RecordOfAnotherDepartment_IsNotFoundForEveryVerb_AndMissingFromLists()
    {
        var (owner, _, _) = await Actors.UserAsync("operator", "Sales");
        var id = await EquipmentTests.CreateAsync(owner, "VIS-1");
        var (outsider, _, _) = await Actors.UserAsync("viewer", "Engineering");
        var (insider, _, _) = await Actors.UserAsync("viewer", "Sales");

        await TestClient.ExpectProblemAsync(await outsider.Http.GetAsync($"/api/equipment/{id}"), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, (await insider.Http.GetAsync($"/api/equipment/{id}")).StatusCode);
        var unknownId = Guid.NewGuid();
        var notFound = await outsider.Http.GetAsync($"/api/equipment/{unknownId}");
        var hidden = await outsider.Http.GetAsync($"/api/equipment/{id}");
        Assert.Equal(notFound.StatusCode, hidden.StatusCode);

        var outsiderList = await TestClient.ExpectAsync(await outsider.Http.GetAsync("/api/equipment?serialNumber=VIS-1"), HttpStatusCode.OK);
        var insiderList = await TestClient.ExpectAsync(await insider.Http.GetAsync("/api/equipment?serialNumber=VIS-1"), HttpStatusCode.OK);
        Assert.Equal(0, outsiderList.GetProperty("items").GetArrayLength());
        Assert.Equal(1, insiderList.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task ChangingARecordOneCannotSee_AnswersNotFoundNotForbidden()
    {
        var (owner, _, _) = await Actors.UserAsync("operator", "Sales");
        var id = await EquipmentTests.CreateAsync(owner, "VIS-2");
        var (otherManager, _, _) = await Actors.UserAsync("manager", "Engineering");
        await TestClient.ExpectAsync(await Actors.Root.Http.PutAsJsonAsync("/api/admin/roles/manager/permissions",
            new { permissions = new[] { "equipment:update:same_department", "equipment:delete:same_department" } }), HttpStatusCode.NoContent);

        // The manager inherits the viewer's department-limited read, so a Sales record is invisible to them.
        await TestClient.ExpectProblemAsync(await otherManager.Http.PutAsJsonAsync($"/api/equipment/{id}", new { name = "Mine now", serialNumber = "X-1", cost = 1m }), HttpStatusCode.NotFound, "not_found");
        await TestClient.ExpectProblemAsync(await otherManager.Http.DeleteAsync($"/api/equipment/{id}"), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync($"/api/equipment/{id}")).StatusCode);
    }

    [Fact]
    public async Task TextSearch_LimitedToTheDepartment_FindsEveryMatchInIt_WhateverTheCaseWordBreaksOrAlphabet()
    {
        // On PostgreSQL this search also goes through the department-keyed token index; a token the query asked for
        // but a matching record lacked would lose that record, so the texts mix case, digits, punctuation,
        // underscores (a LIKE wildcard, escaped) and letters beyond ASCII.
        var marker = "q" + Guid.NewGuid().ToString("N")[..6];
        var (owner, _, _) = await Actors.UserAsync("operator", "Sales");
        var (outsiderOwner, _, _) = await Actors.UserAsync("operator", "Engineering");
        var (insider, _, _) = await Actors.UserAsync("viewer", "Sales");
        var records = new Dictionary<string, (string Name, string Description)>
        {
            ["scope"] = ($"Oscilloscope {marker.ToUpperInvariant()}-42", "Bench unit"),
            ["cutter"] = ($"Laser_Cutter {marker}", "Cuts acrylic"),
            ["printer"] = ($"Printer {marker}", "Über 3D-Drucker, Größe XL"),
            ["mixed"] = ($"MixedCASE Widget{marker}", "ÉCRAN tactile"),
            ["kelvin"] = ($"Probe {marker} 300\u212A", "Cryogenic"),                 // K: the Kelvin sign, whose lowercase is ASCII k
        };
        var ids = new Dictionary<string, Guid>();
        foreach (var (key, (name, description)) in records)
        {
            ids[key] = await CreateAsync(owner, name, description);
        }

        var elsewhere = await CreateAsync(outsiderOwner, $"Oscilloscope {marker}", "Bench unit");

        async Task<Guid[]> Search(string text)
        {
            var body = await TestClient.ExpectAsync(await insider.Http.GetAsync($"/api/equipment?q={Uri.EscapeDataString(text)}"), HttpStatusCode.OK);
            return body.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()).ToArray();
        }

        Assert.Equal([ids["scope"]], await Search($"oscilloscope {marker}"));
        Assert.Equal([ids["scope"]], await Search($"{marker.ToUpperInvariant()}-4"));
        Assert.Equal([ids["cutter"]], await Search($"r_cutter {marker}"));
        Assert.Equal([ids["printer"]], await Search($"printer {marker[..4]}"));
        Assert.Contains(ids["printer"], await Search("3d-drucker, grö"));
        Assert.Contains(ids["printer"], await Search("über 3D"));
        Assert.Equal([ids["mixed"]], await Search($"casE WIDGET{marker}"));
        Assert.Contains(ids["mixed"], await Search("écran TACT"));
        Assert.Equal([ids["kelvin"]], await Search($"{marker} 300\u212A"));
        Assert.DoesNotContain(elsewhere, await Search(marker));
        Assert.Equal(5, (await Search(marker)).Length);
    }

    private static async Task<Guid> CreateAsync(TestClient client, string name, string description)
        => (await TestClient.ExpectAsync(await client.Http.PostAsJsonAsync("/api/equipment",
            new { name, serialNumber = "SN-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), cost = 10m, description }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
}
