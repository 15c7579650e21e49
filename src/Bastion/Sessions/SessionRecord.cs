using System.Text.Json.Serialization;

namespace Bastion.Sessions;

/// <summary>What the store holds for one session. The key is a hash of the cookie value, never the value itself.</summary>
public sealed record SessionRecord
{
    public required Guid UserId { get; init; }
    public required string Email { get; init; }
    public required string FullName { get; init; }
    public required IReadOnlyList<string> Roles { get; init; }

    /// <summary>Authentication methods used at sign-in (RFC 8176 values: <c>pwd</c>, <c>otp</c>, <c>mfa</c>, …).</summary>
    public required IReadOnlyList<string> Amr { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset LastSeenAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public string? IpAddress { get; init; }
    public string? UserAgent { get; init; }
}

[JsonSerializable(typeof(SessionRecord))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
