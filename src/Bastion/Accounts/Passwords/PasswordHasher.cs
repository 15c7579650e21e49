using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Accounts.Passwords;

/// <summary>
/// Hashes with the configured algorithm and verifies every supported format, so parameters and algorithms can
/// be raised over time: a successful sign-in with an older hash reports <see cref="PasswordVerification.SuccessRehashNeeded"/>.
/// </summary>
internal sealed partial class PasswordHasher : IPasswordHasher
{
    private readonly IPasswordHashScheme _argon2id;
    private readonly IPasswordHashScheme _pbkdf2;
    private readonly IPasswordHashScheme _current;
    private readonly bool _libsodiumAvailable;
    private readonly Lazy<string> _dummyHash;

    public PasswordHasher(IOptions<PasswordHashingOptions> options, ILogger<PasswordHasher> logger)
        : this(options, logger, Libsodium.IsAvailable)
    {
    }

    /// <param name="options">The hashing settings.</param>
    /// <param name="logger">Where the fallback warning goes.</param>
    /// <param name="libsodiumAvailable">Whether Argon2id can run.</param>
    /// <param name="observe">Wraps each scheme, so tests can see which verifications run against which hashes.</param>
    internal PasswordHasher(
        IOptions<PasswordHashingOptions> options, ILogger<PasswordHasher> logger, bool libsodiumAvailable, Func<IPasswordHashScheme, IPasswordHashScheme>? observe = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _libsodiumAvailable = libsodiumAvailable;
        observe ??= scheme => scheme;
        _argon2id = observe(new Argon2idScheme(settings.MemoryKiB, settings.Iterations));
        _pbkdf2 = observe(new Pbkdf2Sha512Scheme(settings.Pbkdf2Iterations));

        if (settings.Algorithm == PasswordHashAlgorithm.Argon2id && !libsodiumAvailable)
        {
            if (!settings.AllowPbkdf2Fallback)
            {
                throw new InvalidOperationException(
                    $"Argon2id needs libsodium, which could not be loaded. Install it (Debian: libsodium23), or set {PasswordHashingOptions.SectionName}:Algorithm to Pbkdf2Sha512, or set {PasswordHashingOptions.SectionName}:AllowPbkdf2Fallback to true.");
            }

            UsesFallback = true;
            Log.Pbkdf2Fallback(logger);
        }

        _current = settings.Algorithm == PasswordHashAlgorithm.Pbkdf2Sha512 || UsesFallback ? _pbkdf2 : _argon2id;

        // A hash of a random secret nobody knows, made once with the current parameters.
        _dummyHash = new Lazy<string>(() => _current.Hash(RandomNumberGenerator.GetBytes(32)));
    }

    /// <summary>The algorithm new hashes are made with.</summary>
    public PasswordHashAlgorithm Algorithm => _current.Algorithm;

    /// <summary>True when Argon2id was configured but PBKDF2 is used because libsodium could not be loaded.</summary>
    public bool UsesFallback { get; }

    public string Hash(string password)
    {
        using var utf8 = new Utf8Password(password);
        return _current.Hash(utf8.Bytes);
    }

    public PasswordVerification Verify(string password, string encodedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        var scheme = string.IsNullOrEmpty(encodedHash) ? null : FindScheme(encodedHash);
        if (scheme is null)
        {
            // Same cost as a real mismatch, so a corrupt or foreign hash is not told apart by timing.
            VerifyDummy(password);
            return PasswordVerification.Failed;
        }

        using var utf8 = new Utf8Password(password);
        if (!scheme.Verify(utf8.Bytes, encodedHash))
        {
            return PasswordVerification.Failed;
        }

        return scheme != _current || scheme.NeedsRehash(encodedHash)
            ? PasswordVerification.SuccessRehashNeeded
            : PasswordVerification.Success;
    }

    public void VerifyDummy(string password)
    {
        using var utf8 = new Utf8Password(password);
        _current.Verify(utf8.Bytes, _dummyHash.Value);
    }

    private IPasswordHashScheme? FindScheme(string encodedHash)
    {
        if (_pbkdf2.Recognizes(encodedHash))
        {
            return _pbkdf2;
        }

        if (!_argon2id.Recognizes(encodedHash))
        {
            return null;
        }

        // Failing here instead of answering "wrong password" keeps a missing library from looking like a
        // wave of bad sign-ins and locking people out.
        return _libsodiumAvailable
            ? _argon2id
            : throw new InvalidOperationException("This password hash is Argon2id, but libsodium could not be loaded to verify it. Install libsodium (Debian: libsodium23).");
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "libsodium could not be loaded; new password hashes use PBKDF2-HMAC-SHA512 because AllowPbkdf2Fallback is set. Install libsodium to return to Argon2id.", EventName = "PasswordHashingFallback")]
        public static partial void Pbkdf2Fallback(ILogger logger);
    }
}
