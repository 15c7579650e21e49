using System.Globalization;
using Bastion.Audit;
using Bastion.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Audit;

/// <summary>The verifier finds each kind of tampering, at the first entry it affects.</summary>
public abstract class AuditChainVerifierContract : IAsyncLifetime
{
    private AuditTestDatabase _db = null!;

    private protected abstract DatabaseProvider Provider { get; }

    public async Task InitializeAsync()
    {
        _db = await AuditTestDatabase.CreateAsync(Provider);
        await using var node = new AuditHarness(_db.Database);
        for (var i = 1; i <= 10; i++)
        {
            await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.DataAccess)
            {
                UserId = Guid.NewGuid(), EntityType = "report", EntityId = i.ToString(CultureInfo.InvariantCulture),
                Details = new() { ["n"] = i },
            });
        }

        await _db.AllowTamperingAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [AuditStorageFact]
    public async Task Verify_UntouchedLog_IsIntact()
    {
        var result = await Verifier().VerifyAsync();

        Assert.True(result.IsIntact);
        Assert.Equal((10L, 10L), (result.EntriesChecked, result.HeadSeq));
    }

    [AuditStorageFact]
    public async Task Verify_EmptyLog_IsIntact()
    {
        await _db.ExecuteAsync("DELETE FROM audit_log");

        var result = await Verifier().VerifyAsync();

        Assert.True(result.IsIntact);
        Assert.Equal((0L, 0L, AuditHash.Genesis), (result.EntriesChecked, result.HeadSeq, result.HeadHash));
    }

    [AuditStorageFact]
    public async Task Verify_EditedRow_ReportsAHashMismatchAtThatRow()
    {
        await _db.ExecuteAsync("UPDATE audit_log SET outcome = 'failure' WHERE seq = 4");

        var broken = await FirstBreakAsync();

        Assert.Equal((4L, AuditChainBreakKind.Hash), (broken.Seq, broken.Kind));
    }

    [AuditStorageFact]
    public async Task Verify_EditedJsonDetails_ReportsAHashMismatch()
    {
        await _db.ExecuteAsync("""UPDATE audit_log SET details = '{"n": 7}' WHERE seq = 7""");

        var broken = await FirstBreakAsync();

        Assert.Equal((7L, AuditChainBreakKind.Hash), (broken.Seq, broken.Kind));
    }

    [AuditStorageFact]
    public async Task Verify_EditedRowWithRecomputedHash_ReportsTheBrokenLinkAfterIt()
    {
        var row = (await _db.ReadAllAsync())[4] with { Outcome = "failure" };
        await _db.ExecuteAsync($"UPDATE audit_log SET outcome = 'failure', hash = '{AuditHash.Compute(row)}' WHERE seq = 5");

        var broken = await FirstBreakAsync();

        Assert.Equal((6L, AuditChainBreakKind.Link), (broken.Seq, broken.Kind));
    }

    [AuditStorageFact]
    public async Task Verify_DeletedRow_ReportsTheGap()
    {
        await _db.ExecuteAsync("DELETE FROM audit_log WHERE seq = 6");

        var broken = await FirstBreakAsync();

        Assert.Equal((6L, AuditChainBreakKind.Gap), (broken.Seq, broken.Kind));
        Assert.Contains("6 to 6 are missing", broken.Message, StringComparison.Ordinal);
    }

    [AuditStorageFact]
    public async Task Verify_DeletedRowWithLaterRowsRenumbered_ReportsTheBrokenLink()
    {
        await _db.ExecuteAsync("DELETE FROM audit_log WHERE seq = 3");
        for (var seq = 4; seq <= 10; seq++)
        {
            await _db.ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"UPDATE audit_log SET seq = {seq - 1} WHERE seq = {seq}"));
        }

        var broken = await FirstBreakAsync();

        Assert.Equal((3L, AuditChainBreakKind.Link), (broken.Seq, broken.Kind));
    }

    [AuditStorageFact]
    public async Task Verify_SwappedPair_ReportsTheFirstOfThem()
    {
        await _db.ExecuteAsync("UPDATE audit_log SET seq = -1 WHERE seq = 5");
        await _db.ExecuteAsync("UPDATE audit_log SET seq = 5 WHERE seq = 6");
        await _db.ExecuteAsync("UPDATE audit_log SET seq = 6 WHERE seq = -1");

        var broken = await FirstBreakAsync();

        Assert.Equal((5L, AuditChainBreakKind.Link), (broken.Seq, broken.Kind));
    }

    [AuditStorageFact]
    public async Task Verify_FirstRowDeleted_ReportsTheGapAtTheStart()
    {
        await _db.ExecuteAsync("DELETE FROM audit_log WHERE seq = 1");

        var broken = await FirstBreakAsync();

        Assert.Equal((1L, AuditChainBreakKind.Gap), (broken.Seq, broken.Kind));
    }

    [AuditStorageFact]
    public async Task RunVerifyCommand_ThroughTheRegisteredServices_ExitsZeroWhenIntactAndOneWhenBroken()
    {
        await using var services = Services();
        using var intact = new StringWriter();
        Assert.Equal(0, await AuditChainVerifier.RunVerifyCommandAsync(services, intact));
        Assert.Contains("Audit chain intact: 10 entries", intact.ToString(), StringComparison.Ordinal);

        await _db.ExecuteAsync("UPDATE audit_log SET ip_address = '198.51.100.1' WHERE seq = 8");
        using var broken = new StringWriter();
        Assert.Equal(1, await AuditChainVerifier.RunVerifyCommandAsync(services, broken));
        Assert.Contains("BROKEN at seq 8 (Hash)", broken.ToString(), StringComparison.Ordinal);
    }

    [AuditStorageFact]
    public async Task RunVerifyCommand_WithoutTheTable_ExitsTwo()
    {
        await _db.ExecuteAsync("DROP TABLE audit_log");
        await using var services = Services();
        using var output = new StringWriter();

        Assert.Equal(2, await AuditChainVerifier.RunVerifyCommandAsync(services, output));
        Assert.StartsWith("Audit log could not be verified", output.ToString(), StringComparison.Ordinal);
    }

    private AuditChainVerifier Verifier() => new(_db.Database);

    private async Task<AuditChainBreak> FirstBreakAsync()
    {
        var result = await Verifier().VerifyAsync();
        Assert.False(result.IsIntact);
        return result.FirstBreak!;
    }

    private ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new Encryption.TestHostEnvironment(Environments.Production));
        services.AddSingleton(Options.Create(_db.Options));
        services.AddBastionAudit(new ConfigurationBuilder().Build());
        return services.BuildServiceProvider(validateScopes: true);
    }
}

public sealed class SqliteAuditChainVerifierTests : AuditChainVerifierContract
{
    private protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresAuditChainVerifierTests : AuditChainVerifierContract, IPostgresContract
{
    private protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
