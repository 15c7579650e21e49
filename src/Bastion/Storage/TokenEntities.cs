namespace Bastion.Storage;

/// <summary>An access-token signing key. The private key is stored encrypted under the master key.</summary>
public sealed class SigningKeyRecord
{
    public required string Kid { get; set; }
    public required string Algorithm { get; set; }
    public required string PrivateKey { get; set; }
    public required string PublicJwk { get; set; }
    /// <summary>Published in the JWKS (and accepted) from this time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Signs from this time: later than <see cref="CreatedAt"/>, so every node knows the key before it sees a token.</summary>
    public DateTimeOffset ActivatesAt { get; set; }

    /// <summary>Signs no more from this time (a newer key took over); null while in service.</summary>
    public DateTimeOffset? RetireAt { get; set; }

    /// <summary>Neither published nor accepted from this time: every token it signed has expired.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}

/// <summary>A chain of refresh tokens descending from one sign-in (RFC 9700 §4.14.2).</summary>
public sealed class TokenFamily
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }

    /// <summary>Authentication methods of the sign-in, space-separated (RFC 8176).</summary>
    public required string Amr { get; set; }

    /// <summary>SHA-256 of the client facts the family is bound to, when binding is on.</summary>
    public string? Fingerprint { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }
}

/// <summary>One refresh token, by the SHA-256 of its value; spent once it has been exchanged.</summary>
public sealed class RefreshTokenRecord
{
    public required string TokenHash { get; set; }
    public Guid FamilyId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ConsumedAt { get; set; }
}

/// <summary>
/// A revocation of access tokens that outlives the state store: one token (<c>t</c>, by <c>jti</c>) or everything a
/// user was issued before a moment (<c>u</c>, by user id). Kept until the tokens it covers have expired.
/// </summary>
public sealed class AccessTokenRevocation
{
    public required string Kind { get; set; }
    public required string Id { get; set; }
    public DateTimeOffset NotBefore { get; set; }
    public DateTimeOffset Until { get; set; }
}
