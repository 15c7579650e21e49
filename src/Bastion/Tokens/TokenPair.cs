using System.Text.Json.Serialization;

namespace Bastion.Tokens;

/// <summary>An OAuth 2.0 token response (RFC 6749 §5.1).</summary>
public sealed record TokenPair(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("token_type")] string TokenType = "Bearer")
{
    /// <summary>The refresh family, which is the access token's <c>sid</c>; not part of the response.</summary>
    [JsonIgnore]
    public Guid FamilyId { get; init; }
}

/// <summary>Why a refresh was refused; each maps to a stable error code.</summary>
public enum RefreshFailure
{
    None,
    Invalid,
    Expired,
    Reused,
    Revoked,
}
