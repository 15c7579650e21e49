using System.Collections.Concurrent;
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
/// <remarks>
/// A token that passed every check is remembered, by its exact text, until it expires (a bounded cache). A later
/// request with the same text skips the signature check, the costliest step (an RSA verification), but not the
/// rest: expiry against the clock, its key still being published (a withdrawn key withdraws its tokens at once),
/// and the revocation list, which is consulted on every request. Only tokens whose signature was verified can enter
/// the cache, so garbage cannot fill it.
/// </remarks>
public sealed class AccessTokenValidator
{
    /// <summary>Validated tokens remembered at most; when full the cache starts again empty.</summary>
    internal const int CacheCapacity = 10_000;

    // Far longer than any token Bastion issues; a longer one is validated every time and never remembered.
    private const int MaxCachedLength = 8 * 1024;

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<string, ValidatedToken> _validated = new(StringComparer.Ordinal);

    // Counted here: ConcurrentDictionary.Count takes every bucket's lock, too much for each insert.
    private int _validatedCount;
    private readonly SigningKeyRing _keys;
    private readonly TokenValidationParameters _parameters;
    private readonly TokenRevocations _revocations;
    private readonly TimeProvider _time;
    private readonly TimeSpan _clockSkew;

    public AccessTokenValidator(SigningKeyRing keys, TokenRevocations revocations, IOptions<TokenOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        _keys = keys;
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
        ArgumentNullException.ThrowIfNull(token);
        if (_validated.TryGetValue(token, out var known))
        {
            if (known.Token.ValidTo + _clockSkew > _time.GetUtcNow().UtcDateTime && _keys.FindKey(known.Token.Kid) is not null)
            {
                return _revocations.IsRevoked(known.Token.Id, known.FamilyId, known.Token.Subject, new DateTimeOffset(known.Token.IssuedAt, TimeSpan.Zero))
                    ? AccessTokenValidation.Failed(AccessTokenFailure.Revoked)
                    : new AccessTokenValidation(known.CreatePrincipal(), known.Token, AccessTokenFailure.None);
            }

            // Expired, or its key was withdrawn: forget it and let the full check give the answer.
            if (_validated.TryRemove(token, out _))
            {
                Interlocked.Decrement(ref _validatedCount);
            }
        }

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

        var validated = new ValidatedToken(jwt, familyId, PrincipalClaims(jwt));
        if (token.Length <= MaxCachedLength)
        {
            if (_validated.TryAdd(token, validated) && Interlocked.Increment(ref _validatedCount) > CacheCapacity)
            {
                // Full: start again empty rather than track ages; the tokens in use come back at one verification each.
                _validated.Clear();
                Interlocked.Exchange(ref _validatedCount, 0);
            }
        }

        return new AccessTokenValidation(validated.CreatePrincipal(), jwt, AccessTokenFailure.None);
    }

    private static Claim[] PrincipalClaims(JsonWebToken jwt)
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

        return [.. claims];
    }

    private sealed record ValidatedToken(JsonWebToken Token, string FamilyId, Claim[] Claims)
    {
        // A fresh principal per request: handlers and claims transformations may add to it.
        public ClaimsPrincipal CreatePrincipal()
            => new(new ClaimsIdentity(Claims, BearerDefaults.AuthenticationScheme, BastionClaims.Name, BastionClaims.Role));
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
