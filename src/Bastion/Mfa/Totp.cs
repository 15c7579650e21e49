using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Bastion.Mfa;

/// <summary>
/// Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226): the code for a moment is HOTP(K, T) with
/// T = floor(unix time / 30 s) and T0 = 0 (RFC 6238 §4.2).
/// </summary>
/// <remarks>
/// Immutable and thread-safe. A code is refused unless it is exactly <see cref="Digits"/> ASCII digits, and codes are
/// compared in constant time. Verification alone does not make a code single-use: pass the matched step to
/// <see cref="TotpReplayGuard"/>, or use <see cref="TotpVerifier"/>, which does both (OWASP ASVS 5.0 §6.5.1).
/// </remarks>
public sealed class Totp
{
    /// <summary>The time step X in seconds (RFC 6238 §4.1 and §5.2 recommend 30).</summary>
    public const int StepSeconds = 30;

    /// <summary>RFC 4226 §4 R6: the shared secret is at least 128 bits.</summary>
    public const int MinimumSecretLength = 16;

    /// <summary>The most steps accepted either side of the current one; each step more widens the guessing window.</summary>
    public const int MaxWindow = 2;

    private const int MaxHashSize = 64;

    private static readonly int[] PowersOfTen = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    /// <summary>Creates a generator and verifier for one algorithm and code length.</summary>
    /// <param name="algorithm">The HMAC hash (RFC 6238 §1.2).</param>
    /// <param name="digits">Code length, 6 to 8 (RFC 4226 §5.3 requires at least 6; 8 is the longest RFC 6238 shows).</param>
    public Totp(TotpAlgorithm algorithm = TotpAlgorithm.Sha1, int digits = 6)
    {
        if (!Enum.IsDefined(algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown TOTP algorithm.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(digits, 6);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 8);
        Algorithm = algorithm;
        Digits = digits;
    }

    /// <summary>The HMAC hash.</summary>
    public TotpAlgorithm Algorithm { get; }

    /// <summary>The number of digits in a code.</summary>
    public int Digits { get; }

    /// <summary>The time step T that <paramref name="time"/> falls in (RFC 6238 §4.2, T0 = 0).</summary>
    public static long GetTimeStep(DateTimeOffset time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(time, DateTimeOffset.UnixEpoch);
        return time.ToUnixTimeSeconds() / StepSeconds;
    }

    /// <summary>The HOTP value for <paramref name="counter"/> (RFC 4226 §5.3); for TOTP the counter is a time step.</summary>
    /// <exception cref="ArgumentException">The secret is shorter than <see cref="MinimumSecretLength"/> bytes.</exception>
    public string Compute(ReadOnlySpan<byte> secret, long counter)
    {
        ValidateSecret(secret);
        ArgumentOutOfRangeException.ThrowIfNegative(counter);
        Span<byte> code = stackalloc byte[Digits];
        WriteCode(secret, counter, code);
        return System.Text.Encoding.ASCII.GetString(code);
    }

    /// <summary>The code for the time step that <paramref name="time"/> falls in.</summary>
    public string Compute(ReadOnlySpan<byte> secret, DateTimeOffset time) => Compute(secret, GetTimeStep(time));

    /// <summary>
    /// Checks <paramref name="code"/> against the steps from <paramref name="window"/> before to <paramref name="window"/>
    /// after the current one, and returns the step it matched, or null. A code that is not exactly <see cref="Digits"/>
    /// ASCII digits is refused without an exception.
    /// </summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="code">The code as the user typed it.</param>
    /// <param name="now">The server's clock, never a time the client sent (OWASP ASVS 5.0 §6.5.8).</param>
    /// <param name="window">
    /// Steps tolerated either side for clock drift, 0 to <see cref="MaxWindow"/>. RFC 6238 §5.2 recommends at most one;
    /// ASVS 5.0 §6.5.5 sets a 30-second lifetime for a TOTP, which only a window of 0 meets exactly.
    /// </param>
    public long? Verify(ReadOnlySpan<byte> secret, string? code, DateTimeOffset now, int window = 1)
    {
        ValidateSecret(secret);
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(window, MaxWindow);
        Span<byte> submitted = stackalloc byte[Digits];
        if (!TryReadCode(code, submitted))
        {
            return null;
        }

        var current = GetTimeStep(now);
        Span<byte> candidate = stackalloc byte[Digits];
        long? matched = null;

        // Closest step first (0, -1, +1, -2, +2), so a chance collision of two steps' codes resolves to the nearest.
        // Every candidate is computed and compared, so the time taken does not tell which step matched.
        for (var i = 0; i <= 2 * window; i++)
        {
            var counter = current + ((i + 1) / 2 * (i % 2 == 0 ? 1 : -1));
            if (counter < 0)
            {
                continue;
            }

            WriteCode(secret, counter, candidate);
            if (CryptographicOperations.FixedTimeEquals(candidate, submitted) && matched is null)
            {
                matched = counter;
            }
        }

        return matched;
    }

    private static void ValidateSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < MinimumSecretLength)
        {
            throw new ArgumentException($"A TOTP secret must be at least {MinimumSecretLength} bytes (RFC 4226 §4 R6).", nameof(secret));
        }
    }

    private bool TryReadCode(string? code, Span<byte> destination)
    {
        if (code is null || code.Length != Digits)
        {
            return false;
        }

        for (var i = 0; i < code.Length; i++)
        {
            // char.IsAsciiDigit, not char.IsDigit: other scripts' digits (e.g. U+0661) are refused, not compared.
            if (!char.IsAsciiDigit(code[i]))
            {
                return false;
            }

            destination[i] = (byte)code[i];
        }

        return true;
    }

    // HMAC-SHA-1 here is a keyed PRF (RFC 4226 Appendix A.2), which SHA-1's collision weakness does not affect;
    // it stays the default because it is the only algorithm every authenticator app implements.
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "HOTP/TOTP HMAC-SHA-1 per RFC 4226 and RFC 6238.")]
    private void WriteCode(ReadOnlySpan<byte> secret, long counter, Span<byte> destination)
    {
        // RFC 4226 §5.1: the counter C is an 8-byte big-endian value.
        Span<byte> message = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);
        Span<byte> hash = stackalloc byte[MaxHashSize];
        var length = Algorithm switch
        {
            TotpAlgorithm.Sha1 => HMACSHA1.HashData(secret, message, hash),
            TotpAlgorithm.Sha256 => HMACSHA256.HashData(secret, message, hash),
            _ => HMACSHA512.HashData(secret, message, hash),
        };

        // RFC 4226 §5.3 dynamic truncation: the low 4 bits of the last byte choose where 31 bits are read
        // (RFC 6238 Appendix A applies the same rule to the longer SHA-256 and SHA-512 outputs).
        var offset = hash[length - 1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        CryptographicOperations.ZeroMemory(hash);
        var value = binary % PowersOfTen[Digits];
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
