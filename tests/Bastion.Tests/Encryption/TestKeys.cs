using System.Security.Cryptography;
using Bastion.Encryption;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Encryption;

/// <summary>Random keys for versions 1 to 3 and a blind-index key, fixed for the life of one instance.</summary>
internal sealed class TestKeys
{
    private readonly Dictionary<int, string> _keys = new()
    {
        [1] = NewKey(),
        [2] = NewKey(),
        [3] = NewKey(),
    };

    public string BlindIndexKey { get; } = NewKey();

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Key(int version) => _keys[version];

    /// <summary>Options holding <paramref name="versions"/> (all three when none are given), encrypting under <paramref name="current"/>.</summary>
    public FieldEncryptionOptions Options(int current, params int[] versions)
    {
        var options = new FieldEncryptionOptions { CurrentVersion = current, BlindIndexKey = BlindIndexKey };
        foreach (var version in versions.Length == 0 ? _keys.Keys.ToArray() : versions)
        {
            options.Keys[version.ToString(System.Globalization.CultureInfo.InvariantCulture)] = _keys[version];
        }

        return options;
    }

    public FieldCipher Cipher(int current, params int[] versions) => new(Microsoft.Extensions.Options.Options.Create(Options(current, versions)));

    public string SecondBlindIndexKey { get; } = NewKey();

    public BlindIndex BlindIndex() => new(Microsoft.Extensions.Options.Options.Create(Options(1)));

    /// <summary>Options as after an index-key rotation: version 1 and version 2, with <paramref name="current"/> current.</summary>
    public FieldEncryptionOptions RotatedIndexOptions(int current, int keyVersion = 1)
    {
        var options = Options(keyVersion);
        options.BlindIndexKeys["2"] = SecondBlindIndexKey;
        options.BlindIndexCurrentVersion = current;
        return options;
    }

    public BlindIndex BlindIndex(int current) => new(Microsoft.Extensions.Options.Options.Create(RotatedIndexOptions(current)));
}
