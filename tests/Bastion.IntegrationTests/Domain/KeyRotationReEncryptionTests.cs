using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Bastion.IntegrationTests.Mfa;

namespace Bastion.IntegrationTests.Domain;

/// <summary>
/// Rotating the field-encryption and blind-index keys end to end: the job reaches the library's TOTP secrets as well
/// as the host's equipment fields, the old keys can then go, and a node refuses to start while they are still needed.
/// </summary>
public sealed class KeyRotationReEncryptionTests
{
    private static readonly string Key1 = NewKey();
    private static readonly string Key2 = NewKey();
    private static readonly string IndexKey1 = NewKey();
    private static readonly string IndexKey2 = NewKey();

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task Rotation_ThenRemovingTheOldKeys_KeepsTotpSignInEquipmentAndSerialSearch()
    {
        await using var storage = await TestStorage.CreateAsync();
        var (email, app, written) = await SeedAsync(storage);

        await using (var during = await StartAsync(storage, keys: ["1", "2"], indexKeys: ["1", "2"]))
        {
            using var actors = await Actors.CreateAsync(during);

            // Before the job: rows still indexed under version 1 are found by a search under version 2's key set.
            var found = await TestClient.ExpectAsync(await actors.Root.Http.GetAsync("/api/equipment?serialNumber=ROT-1"), HttpStatusCode.OK);
            Assert.Equal(1, found.GetProperty("items").GetArrayLength());
            var before = await StatusAsync(actors.Root);
            Assert.Equal("{\"1\":1}", Versions(before, "users.totp_secret"));
            Assert.Equal("{\"1\":3}", Versions(before, "equipment.serial_number"));
            Assert.Equal("{\"1\":3}", IndexVersions(before, "equipment.serial_number"));
            Assert.False(before.GetProperty("current").GetBoolean());

            var result = await TestClient.ExpectAsync(await actors.Root.Http.PostAsync("/api/equipment/admin/re-encrypt", null), HttpStatusCode.OK);
            Assert.Equal(1 + (3 * 3), result.GetProperty("reEncrypted").GetInt64());
            Assert.Equal(3, result.GetProperty("reIndexed").GetInt64());

            var after = await StatusAsync(actors.Root);
            Assert.Equal("{\"2\":1}", Versions(after, "users.totp_secret"));
            Assert.Equal("{\"2\":3}", Versions(after, "equipment.cost"));
            Assert.Equal("{\"2\":3}", IndexVersions(after, "equipment.serial_number"));
            Assert.True(after.GetProperty("current").GetBoolean());
            var audit = await TestClient.ExpectAsync(await actors.Root.Http.GetAsync("/api/admin/audit?type=data_modification&entityType=users"), HttpStatusCode.OK);
            Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("entityType").GetString() == "users" && e.GetProperty("action").GetString() == "re-encrypt");
        }

        // Version 1 of both keys is gone: the authenticator still signs in, equipment reads, and search finds it.
        await using var later = await StartAsync(storage, keys: ["2"], indexKeys: ["2"]);
        await AssertSignsInWithTotpAsync(later, email, app);
        using var people = await Actors.CreateAsync(later);
        foreach (var (id, serial) in written)
        {
            var view = await TestClient.ExpectAsync(await people.Root.Http.GetAsync($"/api/equipment/{id}"), HttpStatusCode.OK);
            Assert.Equal(serial, view.GetProperty("serialNumber").GetString());
            Assert.Equal($"note {serial}", view.GetProperty("notes").GetString());
        }

        var search = await TestClient.ExpectAsync(await people.Root.Http.GetAsync("/api/equipment?serialNumber=ROT-2"), HttpStatusCode.OK);
        Assert.Equal(1, search.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task ReEncryption_RunByTwoCallersAtOnce_RewritesEachValueExactlyOnce()
    {
        await using var storage = await TestStorage.CreateAsync();
        var (email, app, _) = await SeedAsync(storage);

        await using (var during = await StartAsync(storage, keys: ["1", "2"], indexKeys: ["1", "2"]))
        {
            using var actors = await Actors.CreateAsync(during);
            var runs = await Task.WhenAll(
                actors.Root.Http.PostAsync("/api/admin/encryption/re-encrypt", null),
                actors.Root.Http.PostAsync("/api/admin/encryption/re-encrypt", null));

            var reports = await Task.WhenAll(runs.Select(r => TestClient.ExpectAsync(r, HttpStatusCode.OK)));
            Assert.Equal(1 + (3 * 3), reports.Sum(r => r.GetProperty("reEncrypted").GetInt64()));
            Assert.Equal(3, reports.Sum(r => r.GetProperty("reIndexed").GetInt64()));
            Assert.True((await StatusAsync(actors.Root)).GetProperty("current").GetBoolean());
        }

        await using var later = await StartAsync(storage, keys: ["2"], indexKeys: ["2"]);
        await AssertSignsInWithTotpAsync(later, email, app);
    }

    [Fact]
    public async Task Start_WithAKeyVersionStillInUseRemoved_IsRefusedNamingTheVersionColumnsAndCounts()
    {
        await using var storage = await TestStorage.CreateAsync();
        await SeedAsync(storage);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(storage, keys: ["2"], indexKeys: ["1"]));

        var message = error is AggregateException aggregate ? string.Join('\n', aggregate.Flatten().InnerExceptions.Select(e => e.Message)) : error.Message;
        Assert.Contains("Bastion:Encryption:Keys:1 (version 1) is missing but still used by", message, StringComparison.Ordinal);
        Assert.Contains("users.totp_secret (1 values)", message, StringComparison.Ordinal);
        Assert.Contains("equipment.serial_number (3 values)", message, StringComparison.Ordinal);
        Assert.Contains("encryption reencrypt", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithTheOldBlindIndexKeyRemovedBeforeReIndexing_IsRefused()
    {
        await using var storage = await TestStorage.CreateAsync();
        await SeedAsync(storage);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(storage, keys: ["1"], indexKeys: ["2"]));

        Assert.Contains("Bastion:Encryption:BlindIndexKey (version 1) is missing but still used by equipment.serial_index (3 values)", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_StatusAndReEncrypt_ReportTheVersionsAndMoveEveryValue()
    {
        await using var storage = await TestStorage.CreateAsync();
        await SeedAsync(storage);

        var missing = await ServerCommand.RunAsync(CliSettings(storage, keys: ["2"]), "encryption", "status");
        Assert.True(missing.ExitCode == 2, missing.Output);
        Assert.Contains("users.totp_secret: version 1: 1", missing.Output, StringComparison.Ordinal);
        Assert.Contains("Bastion:Encryption:Keys:1 (version 1) is missing", missing.Output, StringComparison.Ordinal);

        var pending = await ServerCommand.RunAsync(CliSettings(storage, keys: ["1", "2"]), "encryption", "status");
        Assert.True(pending.ExitCode == 1, pending.Output);
        Assert.Contains("equipment.serial_number: version 1: 3", pending.Output, StringComparison.Ordinal);

        var run = await ServerCommand.RunAsync(CliSettings(storage, keys: ["1", "2"]), "encryption", "reencrypt");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("users.totp_secret: 1 read, 1 re-encrypted", run.Output, StringComparison.Ordinal);
        Assert.Contains("equipment.serial_number: 3 read, 3 re-encrypted, 3 re-indexed", run.Output, StringComparison.Ordinal);

        var done = await ServerCommand.RunAsync(CliSettings(storage, keys: ["2"]), "encryption", "status");
        Assert.True(done.ExitCode == 0, done.Output);
        Assert.Contains("users.totp_secret: version 2: 1", done.Output, StringComparison.Ordinal);
        Assert.Contains("equipment.serial_index: version 2: 3", done.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EncryptionAdministration_IsForSuperAdminsOnly()
    {
        await using var host = await TestHost.StartAsync(Actors.BootstrapSettings);
        using var actors = await Actors.CreateAsync(host);
        var (admin, _, _) = await actors.UserAsync("admin");

        await TestClient.ExpectProblemAsync(await admin.Http.PostAsync("/api/equipment/admin/re-encrypt", null), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectProblemAsync(await admin.Http.PostAsync("/api/admin/encryption/re-encrypt", null), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectProblemAsync(await admin.Http.GetAsync("/api/admin/encryption/status"), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectAsync(await actors.Root.Http.GetAsync("/api/admin/encryption/status"), HttpStatusCode.OK);
    }

    // Under version 1 of both keys: a user with TOTP, and three equipment records from an operator.
    private async Task<(string Email, Authenticator App, Dictionary<Guid, string> Written)> SeedAsync(TestStorage storage)
    {
        await using var host = await StartAsync(storage, keys: ["1"], indexKeys: ["1"]);
        using var client = host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var (app, _) = await client.EnrolTotpAsync(_time.GetUtcNow());
        using var actors = await Actors.CreateAsync(host);
        var (operatorClient, _, _) = await actors.UserAsync("operator");
        var written = new Dictionary<Guid, string>();
        for (var i = 0; i < 3; i++)
        {
            var serial = $"ROT-{i}";
            written[await EquipmentTests.CreateAsync(operatorClient, serial, notes: $"note {serial}")] = serial;
        }

        return (email, app, written);
    }

    private async Task AssertSignsInWithTotpAsync(TestHost host, string email, Authenticator app)
    {
        // A later step than enrolment's, whose code the replay guard has spent.
        _time.Advance(TimeSpan.FromMinutes(1));
        using var client = host.CreateClient();
        var challenge = await client.StartSignInAsync(email);
        var tokens = await TestClient.ExpectAsync(
            await client.FinishSignInAsync(challenge.GetProperty("mfa_token").GetString()!, "totp", app.CodeAt(_time.GetUtcNow())), HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("access_token").GetString()));
    }

    private Task<TestHost> StartAsync(TestStorage storage, string[] keys, string[] indexKeys)
    {
        var settings = Settings(keys, indexKeys);
        foreach (var (key, value) in Actors.BootstrapSettings)
        {
            settings[key] = value;
        }

        return TestHost.StartAsync(settings, storage, configure: builder => builder.Services.AddSingleton<TimeProvider>(_time));
    }

    private static Dictionary<string, string?> CliSettings(TestStorage storage, string[] keys)
    {
        var settings = new Dictionary<string, string?>(storage.Settings);
        foreach (var (key, value) in Settings(keys, keys))
        {
            settings[key] = value;
        }

        return settings;
    }

    private static Dictionary<string, string?> Settings(string[] keys, string[] indexKeys)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bastion:Encryption:CurrentVersion"] = keys[^1],
            ["Bastion:Encryption:BlindIndexCurrentVersion"] = indexKeys[^1],
        };
        foreach (var version in keys)
        {
            settings[$"Bastion:Encryption:Keys:{version}"] = version == "1" ? Key1 : Key2;
        }

        foreach (var version in indexKeys)
        {
            settings[version == "1" ? "Bastion:Encryption:BlindIndexKey" : $"Bastion:Encryption:BlindIndexKeys:{version}"] = version == "1" ? IndexKey1 : IndexKey2;
        }

        return settings;
    }

    private static async Task<JsonElement> StatusAsync(TestClient root)
        => await TestClient.ExpectAsync(await root.Http.GetAsync("/api/admin/encryption/status"), HttpStatusCode.OK);

    private static string Versions(JsonElement status, string column) => Column(status, column).GetProperty("keyVersions").GetProperty("versions").GetRawText();

    private static string IndexVersions(JsonElement status, string column) => Column(status, column).GetProperty("blindIndexVersions").GetProperty("versions").GetRawText();

    private static JsonElement Column(JsonElement status, string column)
        => status.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("column").GetString() == column);

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
