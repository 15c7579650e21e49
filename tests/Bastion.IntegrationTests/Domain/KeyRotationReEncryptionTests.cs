using System.Net;
using System.Security.Cryptography;
using Bastion.Server.Domain;
using Microsoft.EntityFrameworkCore;

namespace Bastion.IntegrationTests.Domain;

public sealed class KeyRotationReEncryptionTests
{
    private static readonly string Key1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Key2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string IndexKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Rotation_ReEncryptsEveryValueUnderTheNewKey_AndLosesNothing()
    {
        var storage = await TestStorage.CreateAsync();
        await using (storage)
        {
            var written = new Dictionary<Guid, (string Serial, string Notes, decimal Cost)>();
            await using (var before = await TestHost.StartAsync(Settings(("1", Key1)), storage))
            {
                using var actors = await Actors.CreateAsync(before);
                var (client, _, _) = await actors.UserAsync("operator");
                for (var i = 0; i < 5; i++)
                {
                    var serial = $"ROT-{i}";
                    var id = await EquipmentTests.CreateAsync(client, serial, notes: $"note {i}", cost: 10m + i);
                    written[id] = (serial, $"note {i}", 10m + i);
                }
            }

            await using (var during = await TestHost.StartAsync(Settings(("1", Key1), ("2", Key2)), storage))
            {
                using var actors = await Actors.CreateAsync(during);
                var result = await TestClient.ExpectAsync(await actors.Root.Http.PostAsync("/api/equipment/admin/re-encrypt", null), HttpStatusCode.OK);
                Assert.Equal(written.Count, result.GetProperty("rows").GetInt32());
                await using var scope = during.Services.CreateAsyncScope();
                var rows = await scope.ServiceProvider.GetRequiredService<DomainDbContext>().Equipment.AsNoTracking().ToListAsync();
                Assert.All(rows, row => Assert.StartsWith("v2:", row.SerialNumber, StringComparison.Ordinal));
                Assert.All(rows, row => Assert.StartsWith("v2:", row.Cost, StringComparison.Ordinal));
            }

            // Version 1 is gone from configuration: everything must still read back, and search by serial still works.
            await using var after = await TestHost.StartAsync(Settings(("2", Key2)), storage);
            using var people = await Actors.CreateAsync(after);
            foreach (var (id, expected) in written)
            {
                var view = await TestClient.ExpectAsync(await people.Root.Http.GetAsync($"/api/equipment/{id}"), HttpStatusCode.OK);
                Assert.Equal(expected.Serial, view.GetProperty("serialNumber").GetString());
                Assert.Equal(expected.Notes, view.GetProperty("notes").GetString());
                Assert.Equal(expected.Cost, view.GetProperty("cost").GetDecimal());
            }

            var found = await TestClient.ExpectAsync(await people.Root.Http.GetAsync("/api/equipment?serialNumber=ROT-3"), HttpStatusCode.OK);
            Assert.Equal(1, found.GetProperty("items").GetArrayLength());
        }
    }

    [Fact]
    public async Task ReEncryption_IsForSuperAdminsOnly()
    {
        await using var host = await TestHost.StartAsync(Actors.BootstrapSettings);
        using var actors = await Actors.CreateAsync(host);
        var (admin, _, _) = await actors.UserAsync("admin");

        await TestClient.ExpectProblemAsync(await admin.Http.PostAsync("/api/equipment/admin/re-encrypt", null), HttpStatusCode.Forbidden, "forbidden");
    }

    private static Dictionary<string, string?> Settings(params (string Version, string Key)[] keys)
    {
        var settings = new Dictionary<string, string?>(Actors.BootstrapSettings)
        {
            ["Bastion:Encryption:CurrentVersion"] = keys[^1].Version,
            ["Bastion:Encryption:BlindIndexKey"] = IndexKey,
        };
        foreach (var (version, key) in keys)
        {
            settings[$"Bastion:Encryption:Keys:{version}"] = key;
        }

        return settings;
    }
}
