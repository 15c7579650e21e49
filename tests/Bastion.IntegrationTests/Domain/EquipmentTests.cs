using System.Net;
using System.Text;
using Bastion.Server.Domain;
using Microsoft.EntityFrameworkCore;

namespace Bastion.IntegrationTests.Domain;

public sealed class EquipmentTests : HostWithActors
{
    [Fact]
    public async Task Create_SetsOwnerAndDepartmentFromTheCaller()
    {
        var (operatorClient, operatorId, _) = await Actors.UserAsync("operator", "Engineering");

        var created = await TestClient.ExpectAsync(await operatorClient.Http.PostAsJsonAsync("/api/equipment",
            new { name = "Oscilloscope", serialNumber = "OSC-100", cost = 1499.99m, description = "<b>Bench</b> scope<script>x</script>", notes = "Calibrated" }), HttpStatusCode.Created);

        Assert.Equal(operatorId, created.GetProperty("ownerId").GetGuid());
        Assert.Equal("Engineering", created.GetProperty("department").GetString());
        Assert.Equal("Bench scopex", created.GetProperty("description").GetString());
        Assert.Equal(1499.99m, created.GetProperty("cost").GetDecimal());
        Assert.Equal("OSC-100", created.GetProperty("serialNumber").GetString());
    }

    [Theory]
    [InlineData("ownerId")]
    [InlineData("department")]
    [InlineData("id")]
    [InlineData("createdAt")]
    [InlineData("deletedAt")]
    public async Task CreateOrUpdate_WithServerOwnedFields_IsRefused(string field)
    {
        var (client, _, _) = await Actors.UserAsync("operator", "Engineering");
        var body = $"{{\"name\":\"Drill\",\"serialNumber\":\"SN-1\",\"cost\":5,\"{field}\":\"00000000-0000-0000-0000-000000000001\"}}";

        await TestClient.ExpectProblemAsync(await client.Http.PostAsync("/api/equipment", Json(body)), HttpStatusCode.BadRequest, "unknown_field");
        var id = await CreateAsync(client, "SN-OWN");
        await TestClient.ExpectProblemAsync(await client.Http.PutAsync($"/api/equipment/{id}", Json(body)), HttpStatusCode.BadRequest, "unknown_field");
    }

    [Theory]
    [InlineData("", "SN-1", 5, "name")]
    [InlineData("Drill<script>", "SN-1", 5, "name")]
    [InlineData("Drill'; DROP TABLE equipment;--", "SN-1", 5, "name")]
    [InlineData("Drill", "sn-lower", 5, "serialNumber")]
    [InlineData("Drill", "SN 1", 5, "serialNumber")]
    [InlineData("Drill", "SN-1", 0, "cost")]
    [InlineData("Drill", "SN-1", -3, "cost")]
    [InlineData("Drill", "SN-1", 1000000.01, "cost")]
    [InlineData("Drill", "SN-1", 1.001, "cost")]
    public async Task Create_WithInvalidFields_NamesTheField(string name, string serial, double cost, string field)
    {
        var (client, _, _) = await Actors.UserAsync("operator");

        var problem = await TestClient.ExpectProblemAsync(await client.Http.PostAsJsonAsync("/api/equipment", new { name, serialNumber = serial, cost = (decimal)cost }),
            HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task SerialNumberSearch_IsExactThroughTheBlindIndex()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        await CreateAsync(client, "ABC-123");
        await CreateAsync(client, "ABC-1234");

        var page = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/equipment?serialNumber=ABC-123"), HttpStatusCode.OK);

        Assert.Equal(["ABC-123"], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("serialNumber").GetString()));
    }

    [Theory]
    [InlineData("' OR '1'='1")]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("x'); DELETE FROM equipment;--")]
    [InlineData("\\")]
    public async Task TextSearch_WithInjectionPayloads_MatchesLiterallyAndDamagesNothing(string query)
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        await CreateAsync(client, "INJ-1");

        var page = await TestClient.ExpectAsync(await client.Http.GetAsync($"/api/equipment?q={Uri.EscapeDataString(query)}&serialNumber={Uri.EscapeDataString(query)}"), HttpStatusCode.OK);

        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
        var all = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/equipment?q=lathe"), HttpStatusCode.OK);
        Assert.True(all.GetProperty("items").GetArrayLength() >= 1);
    }

    [Fact]
    public async Task Search_ReturnsAtMostAPageAndSaysWhetherMoreExist()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(client, $"PG-{i}");
        }

        var page = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/equipment?pageSize=2&q=lathe"), HttpStatusCode.OK);

        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.True(page.GetProperty("hasMore").GetBoolean());
        await TestClient.ExpectProblemAsync(await client.Http.GetAsync("/api/equipment?pageSize=101"), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Delete_IsSoft_AndTheRecordDisappearsForEveryone()
    {
        var (manager, _, _) = await Actors.UserAsync("manager", "Engineering");
        var (operatorClient, _, _) = await Actors.UserAsync("operator", "Engineering");
        var id = await CreateAsync(operatorClient, "DEL-1");

        await TestClient.ExpectAsync(await manager.Http.DeleteAsync($"/api/equipment/{id}"), HttpStatusCode.NoContent);

        await TestClient.ExpectProblemAsync(await operatorClient.Http.GetAsync($"/api/equipment/{id}"), HttpStatusCode.NotFound, "not_found");
        await using var scope = Host.Services.CreateAsyncScope();
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<DomainDbContext>().Equipment.Where(e => e.Id == id).Select(e => e.DeletedAt).SingleAsync());
    }

    [Fact]
    public async Task SensitiveFields_AreNotInTheDatabaseInPlainText()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var id = await CreateAsync(client, "PLAINTEXT-CANARY-77", notes: "canary-note-secret", cost: 987654.32m);

        var stored = await RawRowAsync(id);

        Assert.DoesNotContain("PLAINTEXT-CANARY-77", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("canary-note-secret", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("987654", stored, StringComparison.Ordinal);
        Assert.Contains("v1:", stored, StringComparison.Ordinal);
        if (!TestEnvironment.UsePostgres)
        {
            // The SQLite file itself (and its write-ahead log) holds no plaintext either.
            var bytes = string.Concat(Directory.GetFiles(Host.Storage.Directory, "bastion.db*").Select(f => Encoding.Latin1.GetString(ReadShared(f))));
            Assert.DoesNotContain("PLAINTEXT-CANARY-77", bytes, StringComparison.Ordinal);
            Assert.DoesNotContain("canary-note-secret", bytes, StringComparison.Ordinal);
        }
    }

    private async Task<string> RawRowAsync(Guid id)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<DomainDbContext>().Equipment.AsNoTracking().SingleAsync(e => e.Id == id);
        return string.Join('|', row.SerialNumber, row.SerialIndex, row.Cost, row.Notes);
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    internal static async Task<Guid> CreateAsync(TestClient client, string serial, string? notes = null, decimal cost = 100m)
        => (await TestClient.ExpectAsync(await client.Http.PostAsJsonAsync("/api/equipment",
            new { name = "Lathe", serialNumber = serial, cost, description = "A lathe", notes }), HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
