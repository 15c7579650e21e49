using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bastion.State;
using Microsoft.Extensions.Options;

namespace Bastion.Mfa;

/// <summary>
/// One-time codes sent by e-mail (out-of-band codes in OWASP ASVS 5.0 §6.5 and §6.6), kept in the shared
/// <see cref="IStateStore"/> so every node sees them.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>uniformly random digits from the CSPRNG (§6.5.3, §6.5.4: 6 digits ≈ 20 bits);</item>
/// <item>only an HMAC of the code is stored, keyed with a key that is not in the store, so reading the store does
/// not reveal pending codes and 10^6 candidates cannot be tried offline;</item>
/// <item>bound to the user and a purpose, e.g. the pending sign-in's id, so a code works only for the request it was
/// sent for (§6.6.2);</item>
/// <item>expires after <see cref="MfaOptions.EmailCodeLifetime"/>, at most 10 minutes (§6.5.5);</item>
/// <item>single use, even with concurrent requests: the entry is deleted and only the deleting request succeeds
/// (§6.5.1);</item>
/// <item>withdrawn after <see cref="MaxAttempts"/> attempts (§6.6.3), so one code gives a guesser 5 in 10^6.
/// Requesting codes must still be rate limited by the caller, as each new code brings new attempts.</item>
/// </list>
/// </remarks>
public sealed class EmailOtp
{
    /// <summary>Attempts allowed per code.</summary>
    public const int MaxAttempts = 5;

    /// <summary>The longest a code may live (ASVS 5.0 §6.5.5).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

    private const int MinimumKeySize = 32;

    private readonly IStateStore _store;
    private readonly IOptions<MfaOptions> _options;
    private readonly byte[] _key;
    private readonly string _keyPrefix;

    /// <param name="store">Where pending codes and attempt counters live.</param>
    /// <param name="options">Code length and lifetime.</param>
    /// <param name="key">The HMAC key, at least 32 bytes, kept outside the state store.</param>
    /// <param name="keyPrefix">Put before every state-store key (<c>Bastion:State:KeyPrefix</c>).</param>
    public EmailOtp(IStateStore store, IOptions<MfaOptions> options, ReadOnlySpan<byte> key, string keyPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        _keyPrefix = keyPrefix;
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        if (key.Length < MinimumKeySize)
        {
            throw new ArgumentException($"The e-mail code key must be at least {MinimumKeySize} bytes.", nameof(key));
        }

        _store = store;
        _options = options;
        _key = key.ToArray();
    }

    /// <summary>A uniformly random code of <paramref name="digits"/> digits (6 to 8), leading zeros kept.</summary>
    public static string Generate(int digits = 6)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digits, 6);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 8);

        // GetInt32 rejects out-of-range draws instead of reducing modulo 10^n, so every code is equally likely.
        var upper = (int)Math.Pow(10, digits);
        return RandomNumberGenerator.GetInt32(upper).ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Creates a code for <paramref name="userId"/> and <paramref name="purpose"/>, replacing any pending one and
    /// its attempt count, and returns it for sending. Never log it.
    /// </summary>
    public async ValueTask<string> IssueAsync(string userId, string purpose, CancellationToken cancellationToken = default)
    {
        var slot = Slot(userId, purpose);
        var settings = _options.Value;
        var code = Generate(settings.EmailCodeDigits);
        var lifetime = settings.EmailCodeLifetime < MaxLifetime ? settings.EmailCodeLifetime : MaxLifetime;
        await _store.SetAsync(CodeKey(slot), Hash(slot, code), lifetime, cancellationToken);
        await _store.DeleteAsync(AttemptsKey(slot), cancellationToken);
        return code;
    }

    /// <summary>Checks <paramref name="code"/> against the pending code for <paramref name="userId"/> and <paramref name="purpose"/>, counting the attempt.</summary>
    public async ValueTask<EmailOtpResult> VerifyAsync(string userId, string purpose, string? code, CancellationToken cancellationToken = default)
    {
        var slot = Slot(userId, purpose);
        var codeKey = CodeKey(slot);
        var attemptsKey = AttemptsKey(slot);
        var stored = await _store.GetAsync(codeKey, cancellationToken);
        if (stored is null)
        {
            return EmailOtpResult.Expired;
        }

        // Counted before comparing, atomically, so parallel guesses on several nodes share the same 5 attempts.
        var attempts = await _store.IncrementAsync(attemptsKey, 1, MaxLifetime, cancellationToken);
        if (attempts > MaxAttempts)
        {
            await _store.DeleteAsync(codeKey, cancellationToken);
            return EmailOtpResult.TooManyAttempts;
        }

        if (!IsWellFormed(code) || !CryptographicOperations.FixedTimeEquals(Hash(slot, code), stored))
        {
            if (attempts < MaxAttempts)
            {
                return EmailOtpResult.Invalid;
            }

            await _store.DeleteAsync(codeKey, cancellationToken);
            return EmailOtpResult.TooManyAttempts;
        }

        if (!await _store.DeleteAsync(codeKey, cancellationToken))
        {
            // Another request used it (or it expired) between the read and now.
            return EmailOtpResult.Expired;
        }

        await _store.DeleteAsync(attemptsKey, cancellationToken);
        return EmailOtpResult.Valid;
    }

    private bool IsWellFormed([NotNullWhen(true)] string? code)
        => code is not null && code.Length == _options.Value.EmailCodeDigits && code.All(char.IsAsciiDigit);

    // The user id is length-prefixed so that no (user, purpose) pair can name another pair's slot.
    private static string Slot(string userId, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        return string.Create(CultureInfo.InvariantCulture, $"{userId.Length}:{userId}:{purpose}");
    }

    private string CodeKey(string slot) => _keyPrefix + "mfa:email-code:" + slot;

    private string AttemptsKey(string slot) => _keyPrefix + "mfa:email-attempts:" + slot;

    private byte[] Hash(string slot, string code) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(slot + "#" + code));
}
