using System.Globalization;
using System.Text;

namespace Bastion.Encryption;

/// <summary>
/// The start-up check: a node whose key set no longer covers the values in the database refuses to start, naming
/// the missing versions, where they are used and what to do, instead of failing later at each read of such a value
/// (a user who cannot sign in with their authenticator, an equipment record that answers 500).
/// </summary>
internal static class KeyCoverage
{
    private const string Section = FieldEncryptionOptions.SectionName;

    /// <summary>Null when every stored value's key version is configured; otherwise why the node may not start.</summary>
    public static string? Refusal(EncryptionStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var missing = status.Missing;
        if (missing.Count == 0)
        {
            return null;
        }

        var message = new StringBuilder($"{Section} does not cover the values in the database: ");
        var versions = missing.GroupBy(m => (m.KeySet, m.Version)).Select(group =>
        {
            var users = string.Join(", ", group.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Column} ({m.Count} values)")));
            return string.Create(CultureInfo.InvariantCulture, $"{Setting(group.Key.KeySet, group.Key.Version)} (version {group.Key.Version}) is missing but still used by {users}");
        });
        message.AppendJoin("; ", versions);
        message.Append(". Put the missing key back, keep the current version as it is, run `Bastion.Server encryption reencrypt` "
            + "(or POST /api/admin/encryption/re-encrypt) and remove the old key only once `Bastion.Server encryption status` shows no value under it.");
        return message.ToString();
    }

    private static string Setting(string keySet, int version) => keySet == "Keys"
        ? string.Create(CultureInfo.InvariantCulture, $"{Section}:Keys:{version}")
        : version == 1 ? $"{Section}:BlindIndexKey" : string.Create(CultureInfo.InvariantCulture, $"{Section}:BlindIndexKeys:{version}");
}
