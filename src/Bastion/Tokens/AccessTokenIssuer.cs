using Bastion.Sessions;
using Bastion.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bastion.Tokens;

/// <summary>Signs access tokens in the JWT profile of RFC 9068 (<c>typ: at+jwt</c>, <c>kid</c> in the header).</summary>
public sealed class AccessTokenIssuer(SigningKeyRing keys, IOptions<TokenOptions> options, TimeProvider time)
{
    /// <summary>The scope of tokens from a password sign-in: the whole API the user's roles allow.</summary>
    public const string DefaultScope = "api";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TokenOptions _options = options.Value;

    /// <summary>Creates a token for <paramref name="user"/> in refresh family <paramref name="familyId"/>.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(User user, Guid familyId, IReadOnlyList<string> amr, string scope = DefaultScope)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var expires = now + _options.AccessTokenLifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = keys.SigningCredentials,
            Claims = new Dictionary<string, object>
            {
                [BastionClaims.Subject] = user.Id.ToString(),
                ["jti"] = Guid.NewGuid().ToString("N"),
                [BastionClaims.SessionId] = familyId.ToString(),
                ["client_id"] = _options.Audience,
                ["scope"] = scope,
                [BastionClaims.Email] = user.Email,
                [BastionClaims.Name] = user.FullName,
                ["roles"] = user.Roles.Select(r => r.RoleName).ToArray(),
                [BastionClaims.AuthenticationMethod] = amr.ToArray(),
            },
        };
        return (Handler.CreateToken(descriptor), expires);
    }
}
