namespace Bastion.Accounts.Passwords;

/// <summary>The algorithm new password hashes are made with.</summary>
public enum PasswordHashAlgorithm
{
    /// <summary>Argon2id through libsodium; the first choice of the OWASP Password Storage Cheat Sheet and RFC 9106.</summary>
    Argon2id = 0,

    /// <summary>PBKDF2-HMAC-SHA512 (RFC 8018); for hosts without libsodium, or where FIPS-140 validation is required.</summary>
    Pbkdf2Sha512 = 1,
}
