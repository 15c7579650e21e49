using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Bastion.Uploads;

/// <summary>
/// A stored file's key, <c>{yyyy}/{mm}/{128-bit random hex}</c>, the same in every store: nothing the client chose
/// appears in it, so no name can traverse, overwrite or be guessed (OWASP File Upload Cheat Sheet, "File Name
/// Sanitization"). A key of any other shape finds nothing, so a tampered key is a 404, never a lookup.
/// </summary>
internal static partial class UploadKey
{
    /// <summary>A new key in the UTC month of <paramref name="now"/>.</summary>
    public static string New(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return string.Create(CultureInfo.InvariantCulture, $"{utc:yyyy}/{utc:MM}/{RandomHex()}");
    }

    /// <summary>128 random bits as 32 lower-case hex digits.</summary>
    public static string RandomHex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The key's parts when it has exactly the shape <see cref="New"/> creates. Callers build paths from the matched
    /// groups only, so separators, dots, drive letters or a trailing newline in a key reach nothing.
    /// </summary>
    public static bool TryParse(string? key, out (string Year, string Month, string Id) parts)
    {
        var match = key is null ? Match.Empty : Pattern().Match(key);
        parts = match.Success ? (match.Groups["year"].Value, match.Groups["month"].Value, match.Groups["id"].Value) : default;
        return match.Success;
    }

    // \A and \z, not ^ and $: $ also matches before a final newline.
    [GeneratedRegex(@"\A(?<year>[0-9]{4})/(?<month>0[1-9]|1[0-2])/(?<id>[0-9a-f]{32})\z", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 100)]
    private static partial Regex Pattern();
}
