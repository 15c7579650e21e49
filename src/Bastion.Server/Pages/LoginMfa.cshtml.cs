using Bastion.Abuse;
using Bastion.Accounts;
using Bastion.Mfa;
using Bastion.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bastion.Server.Pages;

/// <summary>
/// The second step of signing in on the web. The pending sign-in's token travels in its own short-lived HttpOnly
/// cookie, scoped to this page, so it never appears in a URL, a form or a log.
/// </summary>
[RateBudget(RateBudgets.Code, "POST")]
[RateBudget(RateBudgets.Mail, "POST", Handler = "SendEmail")]
public sealed class LoginMfaModel(MfaSignIn mfa, SignInCompletion completion, SessionCookie cookies) : PageModel
{
    private const string CookieName = "bastion-mfa";

    [BindProperty]
    public string? Method { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IReadOnlyList<string> Methods { get; private set; } = [];

    public string? Error { get; private set; }

    public string? Notice { get; private set; }

    public static void RememberChallenge(HttpContext context, SessionCookie cookies, MfaRequiredResponse challenge)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(cookies);
        ArgumentNullException.ThrowIfNull(challenge);
        context.Response.Cookies.Append(CookieName, challenge.MfaToken, new CookieOptions
        {
            HttpOnly = true,
            Secure = cookies.IsSecure(context),
            SameSite = SameSiteMode.Strict,
            Path = "/login/mfa",
            MaxAge = TimeSpan.FromSeconds(challenge.ExpiresIn),
            IsEssential = true,
        });
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var (_, user) = await mfa.FindAsync(Request.Cookies[CookieName], cancellationToken);
        if (user is null)
        {
            return Expired();
        }

        Methods = SecondFactorMethods.Of(user);
        Method = Methods[0];
        if (user.EmailMfaEnabled && user.TotpSecret is null)
        {
            Notice = "We sent a code to your e-mail address.";
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var token = Request.Cookies[CookieName];
        if (Method is null || !SecondFactorMethods.All.Contains(Method))
        {
            Method = SecondFactorMethods.Totp;
        }

        var result = await mfa.CompleteAsync(HttpContext, token, Method, Code?.Trim(), cancellationToken);
        switch (result.Failure)
        {
            case MfaSignInFailure.None:
                Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/login/mfa", Secure = cookies.IsSecure(HttpContext) });
                await completion.SignInCookieAsync(HttpContext, result.User!, result.Amr!, cancellationToken);
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/account");
            case MfaSignInFailure.TokenInvalid:
                return Expired();
            case MfaSignInFailure.Refused:
                Error = SignInRefusals.Message(result.Refused!);
                break;
            case MfaSignInFailure.MethodUnavailable:
                Error = "That kind of code is not set up for your account.";
                break;
            default:
                Error = "That code is not valid. Try the newest code.";
                break;
        }

        var (_, user) = await mfa.FindAsync(token, cancellationToken);
        Methods = user is null ? [] : SecondFactorMethods.Of(user);
        return Page();
    }

    public async Task<IActionResult> OnPostSendEmailAsync(CancellationToken cancellationToken)
    {
        var (challenge, user) = await mfa.FindAsync(Request.Cookies[CookieName], cancellationToken);
        if (challenge is null || user is null)
        {
            return Expired();
        }

        Methods = SecondFactorMethods.Of(user);
        Method = SecondFactorMethods.Email;
        switch (await mfa.SendEmailCodeAsync(challenge, user, cancellationToken))
        {
            case EmailCodeSend.Sent:
                Notice = "We sent a code to your e-mail address.";
                break;
            case EmailCodeSend.Unavailable:
                Error = "E-mail codes are not set up for your account.";
                break;
            default:
                Error = "Enough codes were sent for this sign-in. Use the newest one, or sign in again.";
                break;
        }

        return Page();
    }

    private LocalRedirectResult Expired()
        => LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? "/login?expired=true&ReturnUrl=" + Uri.EscapeDataString(ReturnUrl) : "/login?expired=true");
}
