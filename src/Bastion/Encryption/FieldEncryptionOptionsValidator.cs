using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Encryption;

/// <summary>
/// Refuses a key set that would encrypt weakly or lose data, naming the setting to change, so that a
/// misconfigured node does not start (OWASP Cryptographic Storage Cheat Sheet: keys from a CSPRNG, one key per
/// purpose).
/// </summary>
internal sealed class FieldEncryptionOptionsValidator(IHostEnvironment environment) : IValidateOptions<FieldEncryptionOptions>
{
    private const string Section = FieldEncryptionOptions.SectionName;
    private const string Generate = "32 random bytes in base64 (openssl rand -base64 32)";

    // A key of few distinct bytes is a placeholder ("AAAA…", "0123…"), not a secret; 32 random bytes have about 30.
    private const int MinimumDistinctBytes = 16;

    public ValidateOptionsResult Validate(string? name, FieldEncryptionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsUnset)
        {
            // Development never gets here: FieldEncryptionDevelopmentKeys has filled the options in.
            return ValidateOptionsResult.Fail(
                $"{Section} is required in {environment.EnvironmentName}: set {Section}:Keys:1 to {Generate}, {Section}:CurrentVersion to 1 "
                + $"and {Section}:BlindIndexKey to another {Generate}. Only Development derives these keys from the master key.");
        }

        var failures = new List<string>();
        var keys = ValidateKeys(options, failures);
        if (options.Keys.Count > 0 && !options.Keys.ContainsKey(options.CurrentVersion.ToString(CultureInfo.InvariantCulture)))
        {
            var versions = string.Join(", ", options.Keys.Keys.Order(StringComparer.Ordinal));
            failures.Add($"{Section}:CurrentVersion is {options.CurrentVersion}, which is not a version in {Section}:Keys ({versions}): set it to the version new values are to be encrypted under.");
        }

        ValidateBlindIndexKeys(options, keys, failures);
        if (options.ReEncryptionBatchSize is < 1 or > 10_000)
        {
            failures.Add($"{Section}:ReEncryptionBatchSize is {options.ReEncryptionBatchSize}: set it between 1 and 10000 (500 by default).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static List<(string Name, byte[] Key)> ValidateKeys(FieldEncryptionOptions options, List<string> failures)
    {
        if (options.Keys.Count == 0)
        {
            failures.Add($"{Section}:Keys is empty: set {Section}:Keys:1 to {Generate}.");
        }

        var valid = new List<(string Name, byte[] Key)>();
        foreach (var (version, value) in options.Keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var setting = $"{Section}:Keys:{version}";
            if (!KeyVersion.TryParse(version, out _))
            {
                failures.Add($"{setting} is not a key version: name each key by a positive whole number without leading zeros ({Section}:Keys:1, {Section}:Keys:2, …).");
            }
            else if (Decode(setting, value, failures) is { } key)
            {
                if (key.Length != 32)
                {
                    failures.Add($"{setting} is {key.Length} bytes; AES-256 needs exactly 32: set it to {Generate}.");
                }
                else if (IsPlaceholder(key))
                {
                    failures.Add($"{setting} looks like a placeholder, not random bytes: set it to {Generate}.");
                }
                else if (valid.FirstOrDefault(k => k.Key.AsSpan().SequenceEqual(key)).Name is { } same)
                {
                    failures.Add($"{setting} is the same key as {Section}:Keys:{same}: each version needs a key of its own, {Generate}.");
                }
                else
                {
                    valid.Add((version, key));
                }
            }
        }

        return valid;
    }

    private static void ValidateBlindIndexKeys(FieldEncryptionOptions options, List<(string Name, byte[] Key)> encryptionKeys, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.BlindIndexKey) && options.BlindIndexKeys.Count == 0)
        {
            failures.Add($"{Section}:BlindIndexKey is required: set it to {Generate}, different from every encryption key.");
            return;
        }

        if (options.BlindIndexKey is not null && options.BlindIndexKeys.ContainsKey("1"))
        {
            failures.Add($"{Section}:BlindIndexKeys:1 and {Section}:BlindIndexKey both set blind-index version 1: keep one of them.");
        }

        var valid = new List<(string Name, byte[] Key)>();
        foreach (var (version, value) in options.AllBlindIndexKeys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var setting = version == "1" && options.BlindIndexKey is not null ? Section + ":BlindIndexKey" : $"{Section}:BlindIndexKeys:{version}";
            if (!KeyVersion.TryParse(version, out _))
            {
                failures.Add($"{setting} is not a key version: name each blind-index key by a positive whole number without leading zeros.");
            }
            else if (ValidateBlindIndexKey(setting, value, encryptionKeys, valid, failures) is { } key)
            {
                valid.Add((version, key));
            }
        }

        if (!options.AllBlindIndexKeys.Any(k => k.Key == options.BlindIndexCurrentVersion.ToString(CultureInfo.InvariantCulture)))
        {
            failures.Add($"{Section}:BlindIndexCurrentVersion is {options.BlindIndexCurrentVersion}, which has no key ({Section}:BlindIndexKey is version 1, {Section}:BlindIndexKeys:{{n}} the others): "
                + "set it to the version new index values are to be computed under.");
        }
    }

    private static byte[]? ValidateBlindIndexKey(
        string setting, string? value, List<(string Name, byte[] Key)> encryptionKeys, List<(string Name, byte[] Key)> indexKeys, List<string> failures)
    {
        if (Decode(setting, value, failures) is not { } key)
        {
            return null;
        }

        if (key.Length < 32)
        {
            failures.Add($"{setting} is {key.Length} bytes; it needs at least 32: set it to {Generate}.");
        }
        else if (IsPlaceholder(key))
        {
            failures.Add($"{setting} looks like a placeholder, not random bytes: set it to {Generate}.");
        }
        else if (encryptionKeys.FirstOrDefault(k => k.Key.AsSpan().SequenceEqual(key)).Name is { } same)
        {
            // One key, one purpose: the index key is used where anyone can compute tags on chosen input.
            failures.Add($"{setting} is the same key as {Section}:Keys:{same}: the blind index needs a key of its own, {Generate}.");
        }
        else if (indexKeys.FirstOrDefault(k => k.Key.AsSpan().SequenceEqual(key)).Name is { } previous)
        {
            failures.Add($"{setting} is the same key as blind-index version {previous}: a new version needs a new key, {Generate}.");
        }
        else
        {
            return key;
        }

        return null;
    }

    private static byte[]? Decode(string setting, string? value, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{setting} is empty: set it to {Generate}.");
            return null;
        }

        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            failures.Add($"{setting} is not base64: set it to {Generate}.");
            return null;
        }
    }

    private static bool IsPlaceholder(byte[] key) => key.Distinct().Count() < MinimumDistinctBytes;
}
