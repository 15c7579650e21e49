using System.Globalization;
using System.Security.Cryptography;

namespace Bastion.Accounts.Passwords;

/// <summary>
/// PBKDF2-HMAC-SHA512 (RFC 8018, section 5.2) encoded as <c>$pbkdf2-sha512$i=220000$&lt;salt&gt;$&lt;hash&gt;</c>, salt and
/// hash in standard Base64. A 16-byte salt and a 64-byte output (the SHA-512 block output: asking for more
/// only makes the defender pay another full run) follow the OWASP Password Storage Cheat Sheet.
/// </summary>
internal sealed class Pbkdf2Sha512Scheme : IPasswordHashScheme
{
    public const string Prefix = "$pbkdf2-sha512$";

    private const int SaltBytes = 16;
    private const int HashBytes = 64;

    // Bounds on what a stored hash may claim, so a corrupted or planted value cannot pin a CPU or allocate
    // freely during sign-in.
    private const int MaxIterations = 10_000_000;
    private const int MinStoredSaltBytes = 8;
    private const int MaxStoredBytes = 256;

    private readonly int _iterations;

    public Pbkdf2Sha512Scheme(int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        _iterations = iterations;
    }

    public PasswordHashAlgorithm Algorithm => PasswordHashAlgorithm.Pbkdf2Sha512;

    public bool Recognizes(string encodedHash) => encodedHash.StartsWith(Prefix, StringComparison.Ordinal);

    public string Hash(ReadOnlySpan<byte> password)
    {
        Span<byte> salt = stackalloc byte[SaltBytes];
        Span<byte> hash = stackalloc byte[HashBytes];
        RandomNumberGenerator.Fill(salt);
        Rfc2898DeriveBytes.Pbkdf2(password, salt, hash, _iterations, HashAlgorithmName.SHA512);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}i={_iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public bool Verify(ReadOnlySpan<byte> password, string encodedHash)
    {
        if (!TryParse(encodedHash, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = new byte[expected.Length];
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(password, salt, actual, iterations, HashAlgorithmName.SHA512);

            // Constant time, so the comparison does not leak how many leading bytes matched.
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(actual);
        }
    }

    public bool NeedsRehash(string encodedHash) =>
        !TryParse(encodedHash, out var iterations, out var salt, out var hash)
        || iterations != _iterations
        || salt.Length != SaltBytes
        || hash.Length != HashBytes;

    private static bool TryParse(string encodedHash, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        if (!encodedHash.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        // After the prefix: "i=<iterations>$<salt>$<hash>".
        var parts = encodedHash[Prefix.Length..].Split('$');
        return parts.Length == 3
            && parts[0].StartsWith("i=", StringComparison.Ordinal)
            && int.TryParse(parts[0].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            && iterations is > 0 and <= MaxIterations
            && TryDecode(parts[1], MinStoredSaltBytes, out salt)
            && TryDecode(parts[2], SaltBytes, out hash);
    }

    private static bool TryDecode(string base64, int minimumBytes, out byte[] bytes)
    {
        bytes = [];
        if (base64.Length is 0 || base64.Length > MaxStoredBytes * 4 / 3 + 4)
        {
            return false;
        }

        var buffer = new byte[base64.Length * 3 / 4];
        if (!Convert.TryFromBase64String(base64, buffer, out var written) || written < minimumBytes)
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
