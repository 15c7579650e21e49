namespace Bastion.Mfa;

/// <summary>The HMAC hash of a TOTP credential (RFC 6238 §1.2: HMAC-SHA-1, HMAC-SHA-256 or HMAC-SHA-512).</summary>
public enum TotpAlgorithm
{
    /// <summary>HMAC-SHA-1, the only algorithm every authenticator app supports.</summary>
    Sha1,

    /// <summary>HMAC-SHA-256.</summary>
    Sha256,

    /// <summary>HMAC-SHA-512.</summary>
    Sha512,
}
