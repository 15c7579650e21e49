using System.Globalization;
using System.Text;

namespace Bastion.Uploads;

/// <summary>
/// Turns a client-supplied file name into one that is safe to show and to put in Content-Disposition (set it with
/// <c>ContentDispositionHeaderValue.SetHttpFileName</c>, which encodes it per RFC 6266). It is never part of a
/// storage path: stored files are named by random keys (OWASP File Upload Cheat Sheet, "File Name Sanitization").
/// </summary>
internal static class SafeFileName
{
    public const int MaxLength = 100;
    private const int MaxExtensionLength = 16;
    private const string Fallback = "file";

    // Names Windows maps to devices whatever their extension (CON.pdf is the console).
    private static readonly HashSet<string> ReservedNames = new(
        ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
         .. Enumerable.Range(0, 10).SelectMany(i => new[] { $"COM{i}", $"LPT{i}" }),
         "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"],
        StringComparer.OrdinalIgnoreCase);

    public static string Sanitize(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return Fallback;
        }

        // Both separators, whatever the server's OS: "..\..\web.config" from a Windows client is a path too.
        var name = fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..];
        var cleaned = Clean(name).Normalize(NormalizationForm.FormC).TrimStart('.', ' ').TrimEnd('.', ' ');

        var extension = Extension(cleaned);
        var stem = cleaned[..^extension.Length].TrimEnd('.', ' ');
        if (stem.Length == 0)
        {
            stem = Fallback;
        }
        else if (ReservedNames.Contains(stem.Split('.')[0].TrimEnd()))
        {
            stem = "_" + stem;
        }

        var room = MaxLength - extension.Length;
        if (stem.Length > room)
        {
            // Cut on a character boundary, never between the halves of a surrogate pair.
            var cut = char.IsHighSurrogate(stem[room - 1]) ? room - 1 : room;
            stem = stem[..cut].TrimEnd('.', ' ');
        }

        return stem + extension;
    }

    /// <summary>
    /// The last extension of <paramref name="fileName"/> with its dot (<c>invoice.pdf.exe</c> → <c>.exe</c>), or
    /// empty when it has none: 1–15 letters or digits after the last dot, which is not the first character.
    /// </summary>
    public static string Extension(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var dot = fileName.LastIndexOf('.');
        if (dot <= 0 || fileName.Length - dot > MaxExtensionLength || dot == fileName.Length - 1)
        {
            return string.Empty;
        }

        var extension = fileName[dot..];
        return extension.AsSpan(1).ContainsAnyExcept(AsciiLettersAndDigits) ? string.Empty : extension.ToLowerInvariant();
    }

    private static readonly System.Buffers.SearchValues<char> AsciiLettersAndDigits =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    /// <summary>
    /// Drops control, format (bidirectional overrides such as U+202E, which make "exe.pdf" display as "fdp.exe"),
    /// separator, private-use and unassigned characters and broken surrogates; collapses whitespace to one space;
    /// replaces the characters Windows forbids in names.
    /// </summary>
    private static string Clean(string name)
    {
        var builder = new StringBuilder(name.Length);
        var pendingSpace = false;
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (rune == Rune.ReplacementChar || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse
                or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            if (rune.Value is '<' or '>' or ':' or '"' or '|' or '?' or '*')
            {
                builder.Append('_');
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }
}
