using System.Collections.Frozen;

namespace Bastion.Accounts.Passwords;

/// <summary>
/// The list of commonly used passwords that NIST SP 800-63B 5.1.1.2 asks verifiers to refuse, shipped as the
/// embedded resource <see cref="ResourceName"/> (see README.md beside it for its source and licence).
/// </summary>
internal sealed class CommonPasswords
{
    public const string ResourceName = "Bastion.Accounts.Passwords.common-passwords.txt";

    // A decorated variant only counts when what is left is a real word of some length; shorter stems such as
    // "abc" would refuse too many unrelated passwords.
    private const int MinimumBaseWordLength = 4;

    private static readonly Lazy<CommonPasswords> EmbeddedList = new(LoadEmbedded);

    private readonly FrozenSet<string> _words;

    internal CommonPasswords(IEnumerable<string> words) =>
        _words = words.Select(w => w.ToLowerInvariant()).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The list embedded in the assembly, read once on first use.</summary>
    public static CommonPasswords Embedded => EmbeddedList.Value;

    public int Count => _words.Count;

    /// <summary>
    /// Whether the password is on the list, ignoring case, or is a listed word with trailing or leading
    /// digits and symbols or leetspeak substitutions ("P@ssw0rd1!").
    /// </summary>
    public bool IsCommon(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var lowered = password.ToLowerInvariant();
        if (_words.Contains(lowered))
        {
            return true;
        }

        foreach (var word in PasswordVariants.BaseWords(lowered))
        {
            if (word.Length >= MinimumBaseWordLength && _words.Contains(word))
            {
                return true;
            }
        }

        return false;
    }

    private static CommonPasswords LoadEmbedded()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from {typeof(CommonPasswords).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var words = new List<string>(capacity: 40_000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                words.Add(line);
            }
        }

        return new CommonPasswords(words);
    }
}
