using Bastion.Encryption;

namespace Bastion.Tests.Encryption;

public sealed class KeyCoverageTests
{
    [Fact]
    public void Refusal_EveryVersionConfigured_IsNull()
        => Assert.Null(KeyCoverage.Refusal(Status(keys: [1, 2], indexKeys: [1], Column("users.totp_secret", [1, 2]))));

    [Fact]
    public void Refusal_KeyVersionMissing_NamesTheSettingTheColumnsAndTheirCounts()
    {
        var message = KeyCoverage.Refusal(Status(keys: [2], indexKeys: [1], Column("users.totp_secret", [1, 2], count: 3), Column("equipment.cost", [1], count: 5)));

        Assert.NotNull(message);
        Assert.Contains("Bastion:Encryption:Keys:1 (version 1) is missing but still used by users.totp_secret (3 values), equipment.cost (5 values)", message, StringComparison.Ordinal);
        Assert.Contains("encryption reencrypt", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Keys:2", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_BlindIndexVersionMissing_NamesTheIndexSetting()
    {
        var column = new EncryptedColumnStatus("equipment.serial_number", Usage([2], 4), "equipment.serial_index", Usage([1], 4));

        var message = KeyCoverage.Refusal(Status(keys: [2], indexKeys: [2], column));

        Assert.Contains("Bastion:Encryption:BlindIndexKey (version 1) is missing but still used by equipment.serial_index (4 values)", message, StringComparison.Ordinal);
    }

    private static EncryptionStatus Status(int[] keys, int[] indexKeys, params EncryptedColumnStatus[] columns)
        => new(keys[^1], keys, indexKeys[^1], indexKeys, columns);

    private static EncryptedColumnStatus Column(string name, int[] versions, long count = 1) => new(name, Usage(versions, count), null, null);

    private static KeyVersionUsage Usage(int[] versions, long count) => new(versions.ToDictionary(v => v, _ => count), 0);
}
