using System.Security.Claims;
using Bastion.Sessions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bastion.Tokens;

/// <summary>
/// Validates access tokens the way RFC 8725 asks: only the algorithms Bastion signs with (never <c>none</c>, never
/// an HMAC keyed with a public key), the explicit type <c>at+jwt</c> (RFC 9068 §4), the expected issuer and
/// audience, a key chosen by <c>kid</c> among the published ones only, lifetimes within the allowed clock skew,
/// and finally the revocation list.
/// </summary>
public sealed class AccessTokenValidator
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly TokenRevocations _revocations;
    private readonly TimeProvider _time;
    private readonly TimeSpan _clockSkew;

    public AccessTokenValidator(SigningKeyRing keys, TokenRevocations revocations, IOptions<TokenOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        _revocations = revocations;
        _time = time;
        var settings = options.Value;
        _clockSkew = settings.ClockSkew;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            ValidAlgorithms = SigningAlgorithms.All,
            ValidTypes = ["at+jwt"],
            ClockSkew = settings.ClockSkew,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeyResolver = (_, _, kid, _) => keys.FindKey(kid) is { } key ? [key] : [],

            // Lifetime is checked below against the application's clock, the one that stamped the token.
            ValidateLifetime = false,
        };
    }

    public async Task<AccessTokenValidation> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
        {
            return AccessTokenValidation.Failed(result.Exception is SecurityTokenExpiredException ? AccessTokenFailure.Expired : AccessTokenFailure.Invalid);
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        var now = _time.GetUtcNow().UtcDateTime;
        if (!jwt.TryGetPayloadValue<long>("exp", out _) || jwt.ValidTo + _clockSkew <= now)
        {
            return AccessTokenValidation.Failed(jwt.ValidTo == DateTime.MinValue ? AccessTokenFailure.Invalid : AccessTokenFailure.Expired);
        }

        if (jwt.ValidFrom - _clockSkew > now || jwt.IssuedAt - _clockSkew > now)
        {
            return AccessTokenValidation.Failed(AccessTokenFailure.Invalid);
        }

        if (string.IsNullOrEmpty(jwt.Subject) || string.IsNullOrEmpty(jwt.Id) || !jwt.TryGetPayloadValue<string>(BastionClaims.SessionId, out var familyId))
        {
            return AccessTokenValidation.Failed(AccessTokenFailure.Invalid);
        }

        if (_revocations.IsRevoked(jwt.Id, familyId, jwt.Subject, new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero)))
        {
            return AccessTokenValidation.Failed(AccessTokenFailure.Revoked);
        }

        return new AccessTokenValidation(CreatePrincipal(jwt), jwt, AccessTokenFailure.None);
    }

    private static ClaimsPrincipal CreatePrincipal(JsonWebToken jwt)
    {
        var claims = new List<Claim>(16);
        foreach (var claim in jwt.Claims)
        {
            switch (claim.Type)
            {
                case BastionClaims.Subject or BastionClaims.Email or BastionClaims.Name or BastionClaims.SessionId
                    or BastionClaims.AuthenticationMethod or "jti" or "scope" or "exp":
                    claims.Add(new Claim(claim.Type, claim.Value));
                    break;
                case "roles":
                    claims.Add(new Claim(BastionClaims.Role, claim.Value));
                    break;
            }
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, BearerDefaults.AuthenticationScheme, BastionClaims.Name, BastionClaims.Role));
    }
}

public enum AccessTokenFailure
{
    None,
    Invalid,
    Expired,
    Revoked,
}

/// <summary>The outcome of <see cref="AccessTokenValidator.ValidateAsync"/>.</summary>
public sealed record AccessTokenValidation(ClaimsPrincipal? Principal, JsonWebToken? Token, AccessTokenFailure Failure)
{
    public static AccessTokenValidation Failed(AccessTokenFailure failure) => new(null, null, failure);
}

/// <summary>Names an application uses with the framework's authentication APIs.</summary>
public static class BearerDefaults
{
    public const string AuthenticationScheme = "Bastion.Bearer";
}
