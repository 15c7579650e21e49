namespace Bastion.Tokens;

/// <summary>API tokens (<c>Bastion:Tokens</c>). Defaults follow RFC 9068, RFC 8725 and RFC 9700.</summary>
public sealed class TokenOptions
{
    /// <summary>The <c>iss</c> of every access token; use the server's public URL.</summary>
    public string Issuer { get; set; } = "bastion";

    /// <summary>The <c>aud</c> of every access token: the APIs that accept them.</summary>
    public string Audience { get; set; } = "bastion-api";

    /// <summary>RS256 (default) or ES256.</summary>
    public string Algorithm { get; set; } = SigningAlgorithms.RS256;

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an unused refresh token stays valid; each rotation starts a new period (inactivity expiry).</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a chain of refresh tokens may last from sign-in, however active.</summary>
    public TimeSpan RefreshFamilyLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// A spent refresh token presented again within this time of being spent, while its successor is still unused,
    /// is taken for a client retrying a refresh whose answer it never received (a lost response, a node that died
    /// after committing): it gets the same successor again and keeps its family. Later, or once the successor has
    /// been used, it is reuse and ends the family (RFC 9700 §4.14.2). Zero makes every repeat count as reuse.
    /// </summary>
    public TimeSpan RefreshRetryWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Tolerated clock difference between nodes when checking <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a signing key signs before a new one takes over.</summary>
    public TimeSpan KeyRotationInterval { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// A new key is published this long before it signs, so every node has loaded it before the first token
    /// signed with it arrives.
    /// </summary>
    public TimeSpan KeyActivationDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Bind refresh tokens to the client's User-Agent (seed 001): another client presenting one ends the family.</summary>
    public bool BindRefreshTokensToClient { get; set; }
}

/// <summary>The JWS algorithms Bastion signs with, and the only ones it accepts (RFC 8725 §3.1).</summary>
public static class SigningAlgorithms
{
    public const string RS256 = "RS256";
    public const string ES256 = "ES256";

    public static IReadOnlyList<string> All { get; } = [RS256, ES256];
}
