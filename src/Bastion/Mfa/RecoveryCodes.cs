using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Bastion.Mfa;

/// <summary>
/// Recovery codes, the "lookup secrets" of OWASP ASVS 5.0 §6.5: single-use codes the user keeps on paper for when the
/// authenticator is lost. A code reads like <c>7hq2m-x9c4d</c>: 10 symbols from a 32-symbol alphabet, 50 bits from
/// the CSPRNG (§6.5.3; §6.5.4 asks for at least 20).
/// </summary>
/// <remarks>
/// <para>
/// A user's codes are stored as one string, <c>r1.{salt}.{hash}.{hash}…</c>, in one column. <see cref="TryConsume"/>
/// returns the string without the used code; writing it with a conditional update
/// (<c>UPDATE … SET recovery_codes = @remaining WHERE id = @id AND recovery_codes = @stored</c>) makes each code
/// usable once even when two requests race (§6.5.1): only the update that still finds the old value changes a row.
/// </para>
/// <para>
/// Why HMAC-SHA-256 and not a password hash. A slow hash exists because people choose guessable passwords, so a stolen
/// table falls to dictionaries; a recovery code is 50 uniformly random bits, with no dictionary to try first. A slow
/// hash would also cost one run per stored code on every attempt (ten Argon2id runs per request). What protects the
/// table instead is the key: it is derived from the master key, which is not in the database, so a dump alone lets no
/// guess be checked. With the key as well, one user's set still costs about 2^50 / 10 HMACs to search, and the
/// random salt per set means no work carries over to another user. ASVS 5.0 §6.5.2 asks for a password hash below
/// 112 bits; this keyed hash is a deliberate departure from it that rests on the master key staying out of the
/// database and off the database host.
/// </para>
/// </remarks>
public sealed class RecoveryCodes
{
    /// <summary>Codes in a new set unless configured otherwise.</summary>
    public const int DefaultCount = 10;

    /// <summary>The most codes one set may hold.</summary>
    public const int MaxCount = 50;

    /// <summary>Entropy of one code: 10 symbols × log2(32).</summary>
    public const int EntropyBits = 50;

    // Crockford's Base32 alphabet (https://www.crockford.com/base32.html): digits and lowercase letters without
    // i, l, o and u. On input i and l read as 1 and o as 0, so the characters people confuse on paper still match.
    internal const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    internal const int SymbolCount = 10;
    private const int GroupLength = 5;
    private const int SaltSize = 16;
    private const int HashSize = 32;
    private const int MinimumKeySize = 32;
    private const int MaxInputLength = 64;
    private const string FormatVersion = "r1";

    private readonly byte[] _key;

    /// <param name="key">The HMAC key (pepper), at least 32 bytes, kept outside the database.</param>
    public RecoveryCodes(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeySize)
        {
            throw new ArgumentException($"The recovery-code key must be at least {MinimumKeySize} bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>New distinct codes to show the user once, formatted <c>xxxxx-xxxxx</c>.</summary>
    public static IReadOnlyList<string> Generate(int count = DefaultCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        var codes = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (codes.Count < count)
        {
            // GetString draws each symbol uniformly from the CSPRNG, without modulo bias.
            var symbols = RandomNumberGenerator.GetString(Alphabet, SymbolCount);
            if (seen.Add(symbols))
            {
                codes.Add(string.Concat(symbols.AsSpan(0, GroupLength), "-", symbols.AsSpan(GroupLength)));
            }
        }

        return codes;
    }

    /// <summary>
    /// The canonical form of a code as typed: case-insensitive, spaces and dashes ignored, i/l read as 1 and o as 0.
    /// Null when the input cannot be a code.
    /// </summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > MaxInputLength)
        {
            return null;
        }

        Span<char> symbols = stackalloc char[SymbolCount];
        var count = 0;
        foreach (var c in input)
        {
            if (c == '-' || char.IsWhiteSpace(c))
            {
                continue;
            }

            var lower = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
            var symbol = lower switch
            {
                'i' or 'l' => '1',
                'o' => '0',
                _ => lower,
            };
            if (count == SymbolCount || !Alphabet.Contains(symbol, StringComparison.Ordinal))
            {
                return null;
            }

            symbols[count++] = symbol;
        }

        return count == SymbolCount ? new string(symbols) : null;
    }

    /// <summary>The value to store for <paramref name="userId"/>'s new set of <paramref name="codes"/>, under a fresh salt.</summary>
    public string Protect(string userId, IEnumerable<string> codes)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(codes);
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var stored = new StringBuilder(FormatVersion).Append('.').Append(Base64Url.EncodeToString(salt));
        foreach (var code in codes)
        {
            var normalized = Normalize(code) ?? throw new ArgumentException("Every code must be a recovery code.", nameof(codes));
            stored.Append('.').Append(Base64Url.EncodeToString(Hash(userId, salt, normalized)));
        }

        return stored.ToString();
    }

    /// <summary>Whether <paramref name="code"/> is one of the codes in <paramref name="storedSet"/>; does not consume it.</summary>
    /// <exception cref="FormatException">The stored set is not a value written by <see cref="Protect"/>.</exception>
    public bool Verify(string userId, string storedSet, string? code)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Find(userId, Parse(storedSet), code) >= 0;
    }

    /// <summary>
    /// Finds <paramref name="code"/> in <paramref name="storedSet"/> and returns the set without it; store the result
    /// with a conditional update on the old value so the code is used once (see the class remarks).
    /// </summary>
    /// <exception cref="FormatException">The stored set is not a value written by <see cref="Protect"/>.</exception>
    public bool TryConsume(string userId, string storedSet, string? code, [NotNullWhen(true)] out string? remainingSet)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var parts = Parse(storedSet);
        var index = Find(userId, parts, code);
        remainingSet = index < 0 ? null : string.Join('.', parts.Where((_, i) => i != index));
        return remainingSet is not null;
    }

    /// <summary>How many unused codes <paramref name="storedSet"/> holds, to warn a user who is running out.</summary>
    public static int CountRemaining(string storedSet) => Parse(storedSet).Length - 2;

    private static string[] Parse(string storedSet)
    {
        ArgumentNullException.ThrowIfNull(storedSet);
        var parts = storedSet.Split('.');
        if (parts.Length < 2 || parts[0] != FormatVersion || !HasLength(parts[1], SaltSize) || !parts.Skip(2).All(p => HasLength(p, HashSize)))
        {
            throw new FormatException("The stored recovery codes are not in the r1 format.");
        }

        return parts;
    }

    private static bool HasLength(string base64Url, int bytes)
        => Base64Url.IsValid(base64Url, out var length) && length == bytes;

    // Returns the index in parts of the matching hash, or -1. Every stored hash is compared, in constant time, so
    // neither the time taken nor an early exit tells which code (if any) matched.
    private int Find(string userId, string[] parts, string? code)
    {
        var normalized = Normalize(code);
        if (normalized is null)
        {
            return -1;
        }

        var candidate = Hash(userId, Base64Url.DecodeFromChars(parts[1]), normalized);
        var found = -1;
        for (var i = 2; i < parts.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, Base64Url.DecodeFromChars(parts[i])) && found < 0)
            {
                found = i;
            }
        }

        return found;
    }

    // HMAC-SHA-256(key, salt ‖ code ‖ user id): salt and code have fixed lengths, so no two inputs give one message,
    // and binding the user id means a set copied into another account's row matches nothing.
    private byte[] Hash(string userId, ReadOnlySpan<byte> salt, string normalizedCode)
    {
        var message = new byte[SaltSize + SymbolCount + Encoding.UTF8.GetByteCount(userId)];
        salt.CopyTo(message);
        Encoding.ASCII.GetBytes(normalizedCode, message.AsSpan(SaltSize));
        Encoding.UTF8.GetBytes(userId, message.AsSpan(SaltSize + SymbolCount));
        return HMACSHA256.HashData(_key, message);
    }
}
