using Bastion.Encryption;

namespace Bastion.Tests.Encryption;

public sealed class ReEncryptionBatchTests
{
    private readonly TestKeys _keys = new();

    private static readonly EncryptedField<Row>[] Fields =
    [
        new(r => r.SerialNumber, (r, v) => r.SerialNumber = v, r => $"equipment.serialNumber:{r.Id}"),
        new(r => r.Notes, (r, v) => r.Notes = v, r => $"equipment.notes:{r.Id}"),
    ];

    [Fact]
    public void Apply_RowsUnderAnOldVersion_AreReEncryptedWithTheirPlaintextKept()
    {
        var old = _keys.Cipher(1);
        var rows = Enumerable.Range(1, 5).Select(id => Row.Encrypted(old, id, $"SN-{id}", $"note {id}")).ToList();
        var cipher = _keys.Cipher(2);

        var result = ReEncryptionBatch.Apply(cipher, rows, Fields);

        Assert.Equal(new ReEncryptionResult(5, 10, []), result with { Failures = [] });
        Assert.Empty(result.Failures);
        Assert.All(rows, r =>
        {
            Assert.Equal(2, FieldCipher.VersionOf(r.SerialNumber!));
            Assert.Equal($"SN-{r.Id}", cipher.Decrypt(r.SerialNumber!, $"equipment.serialNumber:{r.Id}"));
            Assert.Equal($"note {r.Id}", cipher.Decrypt(r.Notes!, $"equipment.notes:{r.Id}"));
        });
    }

    [Fact]
    public void Apply_CurrentAndNullFields_AreLeftAsTheyAre()
    {
        var cipher = _keys.Cipher(2);
        var current = Row.Encrypted(cipher, 1, "SN-1", null);
        var serial = current.SerialNumber;
        var mixed = Row.Encrypted(_keys.Cipher(1), 2, "SN-2", null);
        mixed.Notes = cipher.Encrypt("note 2", "equipment.notes:2");
        var notes = mixed.Notes;

        var result = ReEncryptionBatch.Apply(cipher, [current, mixed], Fields);

        Assert.Equal((1, 1), (result.RowsChanged, result.FieldsChanged));
        Assert.Same(serial, current.SerialNumber);
        Assert.Null(current.Notes);
        Assert.Same(notes, mixed.Notes);
        Assert.Equal("SN-2", cipher.Decrypt(mixed.SerialNumber!, "equipment.serialNumber:2"));
    }

    [Fact]
    public void Apply_RowWithAnUnreadableField_IsLeftWholeAndReported_OthersProceed()
    {
        var old = _keys.Cipher(1);
        var broken = Row.Encrypted(old, 1, "SN-1", "note 1");
        broken.Notes = old.Encrypt("note copied from row 9", "equipment.notes:9");
        var before = (broken.SerialNumber, broken.Notes);
        var fine = Row.Encrypted(old, 2, "SN-2", "note 2");

        var result = ReEncryptionBatch.Apply(_keys.Cipher(2), [broken, fine], Fields);

        Assert.Equal(before, (broken.SerialNumber, broken.Notes));
        var failure = Assert.Single(result.Failures);
        Assert.Equal("equipment.notes:1", failure.Context);
        Assert.Equal(FieldDecryptionFailure.NotAuthentic, failure.Reason);
        Assert.Equal((1, 2), (result.RowsChanged, result.FieldsChanged));
        Assert.Equal(2, FieldCipher.VersionOf(fine.Notes!));
    }

    [Fact]
    public void Apply_RowUnderARemovedVersion_IsLeftAndReported()
    {
        var row = Row.Encrypted(_keys.Cipher(3), 1, "SN-1", null);
        var before = row.SerialNumber;

        var result = ReEncryptionBatch.Apply(_keys.Cipher(2, 1, 2), [row], Fields);

        Assert.Same(before, row.SerialNumber);
        Assert.Equal(FieldDecryptionFailure.UnknownKeyVersion, Assert.Single(result.Failures).Reason);
    }

    private sealed class Row
    {
        public int Id { get; init; }

        public string? SerialNumber { get; set; }

        public string? Notes { get; set; }

        public static Row Encrypted(FieldCipher cipher, int id, string serialNumber, string? notes) => new()
        {
            Id = id,
            SerialNumber = cipher.Encrypt(serialNumber, $"equipment.serialNumber:{id}"),
            Notes = notes is null ? null : cipher.Encrypt(notes, $"equipment.notes:{id}"),
        };
    }
}
