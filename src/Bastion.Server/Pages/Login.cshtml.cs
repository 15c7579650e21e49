using Bastion.Abuse;
using Bastion.Accounts;
using Bastion.Mfa;
using Bastion.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bastion.Server.Pages;

[RateBudget(RateBudgets.SignIn, "POST")]
public sealed class LoginModel(PasswordSignIn signIn, SignInCompletion completion, SessionCookie cookies) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public string? Notice { get; private set; }

    public void OnGet(bool registered = false, bool pending = false, bool reset = false, bool expired = false)
    {
        Notice = registered ? "Your account is ready. Sign in to continue."
            : reset ? "Your password was changed. Sign in with the new one."
            : pending ? "Your account was created and is waiting for an administrator's approval."
            : expired ? "That sign-in expired or took too many wrong codes. Sign in again."
            : null;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Input.Email))
        {
            ModelState.AddModelError("Input.Email", "E-mail is required.");
        }

        if (string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError("Input.Password", "Password is required.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var attempt = await signIn.SignInAsync(HttpContext, Input.Email, Input.Password, cancellationToken);
        if (attempt.Refused is { } gate)
        {
            Error = SignInRefusals.Message(gate);
            return Page();
        }

        var result = attempt.Result!;
        if (!result.Succeeded)
        {
            Error = result.Failure switch
            {
                SignInFailure.PendingApproval => "This account is waiting for an administrator's approval.",
                SignInFailure.Disabled => "This account is disabled.",
                SignInFailure.EmailUnverified => Recovery.EmailVerification.UnverifiedMessage,
                _ => "Invalid e-mail or password.",
            };
            return Page();
        }

        var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/account";
        if (result.User!.MfaEnabled)
        {
            // The password alone opens nothing: the pending sign-in waits for its second factor at /login/mfa.
            var challenge = await completion.ChallengeAsync(result.User, useCookie: true, cancellationToken);
            LoginMfaModel.RememberChallenge(HttpContext, cookies, challenge);
            return RedirectToPage("/LoginMfa", new { ReturnUrl = returnUrl });
        }

        await completion.SignInCookieAsync(HttpContext, result.User, AuthenticationMethods.PasswordOnly, cancellationToken);

        // Only same-site paths: "//evil.example" and "/\evil.example" are not local (no open redirect).
        return LocalRedirect(returnUrl);
    }

    public sealed class LoginInput
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
    }
}
