using System.Text.Encodings.Web;
using Bastion.Protection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Tokens;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> requests (RFC 6750 §2.1) with Bastion's access tokens and answers
/// failures as RFC 6750 §3 asks — a <c>WWW-Authenticate</c> challenge with <c>error="invalid_token"</c> — and with
/// a problem body whose code says which: <c>token_expired</c>, <c>token_invalid</c> or <c>token_revoked</c>.
/// </summary>
internal sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AccessTokenValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string Realm = "bastion";
    private AccessTokenFailure _failure;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        var result = token.Length == 0 ? AccessTokenValidation.Failed(AccessTokenFailure.Invalid) : await validator.ValidateAsync(token);
        if (result.Failure != AccessTokenFailure.None)
        {
            _failure = result.Failure;
            return AuthenticateResult.Fail($"The access token is {result.Failure}.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(result.Principal!, BearerDefaults.AuthenticationScheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (code, description) = _failure switch
        {
            AccessTokenFailure.Expired => (ErrorCodes.TokenExpired, "The access token expired"),
            AccessTokenFailure.Revoked => (ErrorCodes.TokenRevoked, "The access token has been revoked"),
            AccessTokenFailure.Invalid => (ErrorCodes.TokenInvalid, "The access token is malformed or its signature, type, issuer or audience is wrong"),
            _ => (ErrorCodes.Unauthenticated, null),
        };

        Response.Headers.WWWAuthenticate = description is null
            ? $"Bearer realm=\"{Realm}\""
            : $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"{description}\"";
        return BastionProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, code, description is null ? "Authentication is required." : description + ".");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        => BastionProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "You are not allowed to do this.");
}
