namespace Bastion.Accounts.Passwords;

/// <summary>Password hashing parameters, bound from <c>Bastion:Passwords:Hashing</c>.</summary>
/// <remarks>
/// Defaults are the OWASP Password Storage Cheat Sheet minimums: Argon2id with m = 19 MiB, t = 2, p = 1, and
/// PBKDF2-HMAC-SHA512 with 210,000 iterations, raised a little here. Raising a value later is safe: stored
/// hashes keep verifying and are reported as <see cref="PasswordVerification.SuccessRehashNeeded"/>.
/// </remarks>
public sealed class PasswordHashingOptions
{
    public const string SectionName = "Bastion:Passwords:Hashing";

    public const int MinimumArgon2MemoryKiB = 19456;
    public const int MinimumArgon2Iterations = 2;
    public const int MinimumPbkdf2Iterations = 210_000;
    public const int MaximumArgon2MemoryKiB = 1024 * 1024;
    public const int MaximumArgon2Iterations = 10;
    public const int MaximumPbkdf2Iterations = 10_000_000;

    public PasswordHashAlgorithm Algorithm { get; set; } = PasswordHashAlgorithm.Argon2id;

    /// <summary>Argon2id memory cost in KiB (m).</summary>
    public int MemoryKiB { get; set; } = MinimumArgon2MemoryKiB;

    /// <summary>Argon2id time cost (t), the number of passes over the memory.</summary>
    public int Iterations { get; set; } = MinimumArgon2Iterations;

    /// <summary>PBKDF2-HMAC-SHA512 iteration count.</summary>
    public int Pbkdf2Iterations { get; set; } = 220_000;

    /// <summary>
    /// When Argon2id is configured but libsodium cannot be loaded, hash new passwords with PBKDF2 instead of
    /// refusing to start. Off by default so that a weaker algorithm is never chosen without someone saying so.
    /// </summary>
    public bool AllowPbkdf2Fallback { get; set; }
}
