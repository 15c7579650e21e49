using Bastion.Audit;
using Bastion.Encryption;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Encryption;

public sealed class FieldReEncryptionTests
{
    private const string Purpose = "things.secret";
    private static readonly EncryptedColumn Column = new("things", "id", "secret", id => $"things.secret:{id:N}", new BlindIndexColumn("secret_index", Purpose));
    private static readonly AuditEvent Template = new(AuditEventTypes.DataModification) { UserId = Guid.CreateVersion7() };

    private readonly TestKeys _keys = new();
    private readonly InMemoryEncryptedColumnStore _store = new();

    [Fact]
    public async Task Run_ValuesUnderTheOldKey_RewritesThemInBoundedBatchesInKeyOrder()
    {
        var plain = Seed(5, _keys.Cipher(1, 1), _keys.BlindIndex());

        var report = await Job(_keys.Options(2, 1, 2), batchSize: 2).RunAsync(Template);

        Assert.Equal([null, _store.Rows.Keys.ElementAt(1), _store.Rows.Keys.ElementAt(3)], _store.ReadsAfter);
        Assert.Equal([2, 2, 1], _store.WriteSizes);
        var column = Assert.Single(report.Columns);
        Assert.Equal(("things.secret", 5L, 5L, 0L, 0L, 0L), (column.Column, column.Examined, column.ReEncrypted, column.ReIndexed, column.Conflicts, column.Unreadable));
        var reader = _keys.Cipher(2, 2);
        Assert.All(_store.Rows, row => Assert.Equal(plain[row.Key], reader.Decrypt(row.Value.Ciphertext, Column.Context(row.Key))));
    }

    [Fact]
    public async Task Run_Twice_SecondRunSkipsEveryCurrentValueAndWritesNothing()
    {
        Seed(3, _keys.Cipher(1, 1), _keys.BlindIndex());
        await Job(_keys.Options(2, 1, 2)).RunAsync(Template);
        var after = _store.Rows.ToDictionary();
        _store.WriteSizes.Clear();

        var report = await Job(_keys.Options(2, 1, 2)).RunAsync(Template);

        Assert.Empty(_store.WriteSizes);
        Assert.Equal(0, report.ReEncrypted);
        Assert.Equal(after, _store.Rows.ToDictionary());
    }

    [Fact]
    public async Task Run_AfterAStopHalfWay_ContinuesWithoutRewritingWhatWasDone()
    {
        Seed(6, _keys.Cipher(1, 1), _keys.BlindIndex());
        _store.FailWrite = 2;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Job(_keys.Options(2, 1, 2), batchSize: 2).RunAsync(Template));
        var firstBatch = _store.Rows.Take(2).ToDictionary();
        Assert.All(firstBatch.Values, v => Assert.Equal(2, FieldCipher.VersionOf(v.Ciphertext)));
        _store.FailWrite = null;
        _store.WriteSizes.Clear();

        var report = await Job(_keys.Options(2, 1, 2), batchSize: 2).RunAsync(Template);

        Assert.Equal(4, report.ReEncrypted);
        Assert.Equal([2, 2], _store.WriteSizes);
        Assert.Equal(firstBatch, _store.Rows.Take(2).ToDictionary());
        Assert.All(_store.Rows.Values, v => Assert.Equal(2, FieldCipher.VersionOf(v.Ciphertext)));
    }

    [Fact]
    public async Task Run_RowChangedBetweenReadAndWrite_KeepsTheOtherWritersValueAndCountsAConflict()
    {
        Seed(2, _keys.Cipher(1, 1), _keys.BlindIndex());
        var changed = _store.Rows.Keys.First();
        var theirs = (_keys.Cipher(2, 1, 2).Encrypt("theirs", Column.Context(changed)), _keys.BlindIndex().Compute("theirs", Purpose));
        _store.BeforeWrite = () => _store.Rows[changed] = theirs;

        var report = await Job(_keys.Options(2, 1, 2)).RunAsync(Template);

        Assert.Equal((1L, 1L), (report.ReEncrypted, report.Conflicts));
        Assert.Equal(theirs, _store.Rows[changed]);
    }

    [Fact]
    public async Task Run_ValueThatDoesNotDecrypt_IsLeftAsItIsAndCounted()
    {
        Seed(2, _keys.Cipher(1, 1), _keys.BlindIndex());
        var broken = _store.Rows.Keys.Last();
        var moved = _store.Rows[_store.Rows.Keys.First()];
        _store.Rows[broken] = moved;

        var report = await Job(_keys.Options(2, 1, 2)).RunAsync(Template);

        Assert.Equal((1L, 1L), (report.ReEncrypted, report.Unreadable));
        Assert.Equal(moved, _store.Rows[broken]);
    }

    [Fact]
    public async Task Run_IndexUnderTheOldIndexKey_IsRecomputedWithoutReEncrypting()
    {
        var plain = Seed(3, _keys.Cipher(1, 1), _keys.BlindIndex());
        var ciphertexts = _store.Rows.ToDictionary(r => r.Key, r => r.Value.Ciphertext);
        var options = _keys.RotatedIndexOptions(current: 2);

        var report = await Job(options).RunAsync(Template);

        Assert.Equal((0L, 3L), (report.ReEncrypted, report.ReIndexed));
        var index = new BlindIndex(Options.Create(options));
        Assert.All(_store.Rows, row =>
        {
            Assert.Equal(ciphertexts[row.Key], row.Value.Ciphertext);
            Assert.Equal(index.Compute(plain[row.Key], Purpose), row.Value.Index);
            Assert.StartsWith("i2:", row.Value.Index, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Run_WritesOneAuditEntryPerBatchWithTheActorAndCounts()
    {
        Seed(3, _keys.Cipher(1, 1), _keys.BlindIndex());

        await Job(_keys.Options(2, 1, 2), batchSize: 2).RunAsync(Template);

        Assert.Equal(2, _store.AuditEntries.Count);
        Assert.All(_store.AuditEntries, e => Assert.Equal((Template.UserId, "re-encrypt", "things", "secret"), (e.UserId, e.Action, e.EntityType, (string?)e.Details!["column"])));
        Assert.Equal([2, 1], _store.AuditEntries.Select(e => (int)e.Details!["reEncrypted"]!));
    }

    [Fact]
    public async Task Status_CountsEachVersionBeforeAndAfterTheRun()
    {
        Seed(3, _keys.Cipher(1, 1), _keys.BlindIndex());
        _store.Rows[Guid.CreateVersion7()] = (_keys.Cipher(2, 2).Encrypt("x", "ignored"), _keys.BlindIndex().Compute("x", Purpose));
        var job = Job(_keys.Options(2, 1, 2));

        var before = Assert.Single((await job.StatusAsync()).Columns);
        await job.RunAsync(Template);
        var status = await job.StatusAsync();

        Assert.Equal(new Dictionary<int, long> { [1] = 3, [2] = 1 }, before.KeyVersions.Versions);
        Assert.Equal(new Dictionary<int, long> { [2] = 4 }, Assert.Single(status.Columns).KeyVersions.Versions);
        Assert.True(status.Current);
        Assert.False((await Job(_keys.Options(3, 1, 2, 3)).StatusAsync()).Current);
    }

    private Dictionary<Guid, string> Seed(int count, FieldCipher cipher, BlindIndex index)
    {
        var plain = new Dictionary<Guid, string>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.CreateVersion7();
            plain[id] = $"secret-{i}";
            _store.Rows[id] = (cipher.Encrypt(plain[id], Column.Context(id)), index.Compute(plain[id], Purpose));
        }

        return plain;
    }

    private FieldReEncryption Job(FieldEncryptionOptions options, int batchSize = 500)
    {
        options.ReEncryptionBatchSize = batchSize;
        var wrapped = Options.Create(options);
        return new FieldReEncryption(new EncryptedColumns([Column]), _store, new FieldCipher(wrapped), new BlindIndex(wrapped), wrapped, NullLogger<FieldReEncryption>.Instance);
    }
}
