using System.Security.Claims;
using System.Text.Encodings.Web;
using Bastion.Audit;
using Bastion.Protection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Sessions;

/// <summary>
/// Authenticates a request by its session cookie, and signs in and out through the framework's
/// <c>SignInAsync</c>/<c>SignOutAsync</c>. Signing in always issues a new session id (OWASP: renew the id on any
/// privilege change, which defeats session fixation).
/// </summary>
internal sealed partial class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SessionStore sessions,
    SessionCookie cookie)
    : SignInAuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = SessionDefaults.AuthenticationScheme;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var value = cookie.Read(Context);
        if (string.IsNullOrEmpty(value))
        {
            return AuthenticateResult.NoResult();
        }

        var lookup = await sessions.ValidateAsync(value, SessionClient.From(Context), Context.RequestAborted);
        if (lookup.Failure != SessionFailure.None)
        {
            if (lookup.Failure == SessionFailure.ClientMismatch)
            {
                Log.SessionClientMismatch(Logger);
                await Context.AuditAsync(Context.AuditEvent(AuditEventTypes.SecurityViolation, AuditOutcome.Denied, AuditSeverity.Critical) with
                {
                    Action = AuditEventTypes.SessionHijackDetected,
                });
            }

            cookie.Delete(Context);
            return AuthenticateResult.Fail($"Session {lookup.Failure}.");
        }

        Context.Features.Set(new SessionFeature(lookup.Handle!, lookup.Record!));
        var principal = BastionClaims.CreatePrincipal(lookup.Handle!, lookup.Record!, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleSignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        var userId = user.UserId() ?? throw new InvalidOperationException("A session needs a principal with a 'sub' claim.");

        // Whatever session the browser had before ends here: a planted id can never become authenticated.
        await EndCurrentSessionAsync();

        var data = new SessionPrincipalData(
            userId,
            user.FindFirstValue(BastionClaims.Email) ?? string.Empty,
            user.FindFirstValue(BastionClaims.Name) ?? string.Empty,
            user.FindAll(BastionClaims.Role).Select(c => c.Value).ToList(),
            user.FindAll(BastionClaims.AuthenticationMethod).Select(c => c.Value).ToList());

        var (value, handle, record) = await sessions.CreateAsync(data, SessionClient.From(Context), Context.RequestAborted);
        cookie.Write(Context, value);
        Context.Features.Set(new SessionFeature(handle, record));
        Context.User = BastionClaims.CreatePrincipal(handle, record, SchemeName);
    }

    protected override async Task HandleSignOutAsync(AuthenticationProperties? properties)
    {
        if (Context.Features.Get<SessionFeature>() is { } session)
        {
            await Context.AuditAsync(Context.AuditEvent(AuditEventTypes.Logout) with { UserId = session.Record.UserId });
        }

        await EndCurrentSessionAsync();
        Context.Features.Set<SessionFeature>(null);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!BastionProblems.IsApiRequest(Context))
        {
            return RedirectToLogin();
        }

        // RFC 9110 §11.6.1: a 401 names the scheme that would work; API clients use bearer tokens (RFC 6750 §3).
        Response.Headers.WWWAuthenticate = "Bearer realm=\"bastion\"";
        return BastionProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "Authentication is required.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        => BastionProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "You are not allowed to do this.");

    private Task RedirectToLogin()
    {
        var returnUrl = Request.PathBase + Request.Path + Request.QueryString;
#pragma warning disable SCS0027 // The target is this site's own /login; the request path travels only as an escaped query value.
        Response.Redirect($"{Request.PathBase}/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
#pragma warning restore SCS0027
        return Task.CompletedTask;
    }

    private async Task EndCurrentSessionAsync()
    {
        var value = cookie.Read(Context);
        if (!string.IsNullOrEmpty(value))
        {
            var lookup = await sessions.ValidateAsync(value, SessionClient.From(Context), Context.RequestAborted);
            if (lookup.Record is not null)
            {
                await sessions.RevokeAsync(lookup.Record.UserId, lookup.Handle!, Context.RequestAborted);
            }

            cookie.Delete(Context);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A session was used from another client than the one it was bound to and has been ended", EventName = "SessionClientMismatch")]
        public static partial void SessionClientMismatch(ILogger logger);
    }
}
