using Bastion.Abuse;
using Bastion.Accounts;
using Bastion.Audit;
using Bastion.Mfa;
using Bastion.Sessions;
using Bastion.Storage;
using Bastion.Tokens;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Server.Pages.Account;

/// <summary>
/// Second factors, recovery codes and the password. Every change here needs a recent full authentication, as the API
/// does (<see cref="RecentAuthentication"/>); when it is missing the page asks for it first and then the user repeats
/// the change.
/// </summary>
[RateBudget(RateBudgets.SignIn, "POST", Handler = "Reauthenticate")]
[RateBudget(RateBudgets.SignIn, "POST", Handler = "ChangePassword")]
[RateBudget(RateBudgets.Code, "POST", Handler = "ConfirmTotp")]
[RateBudget(RateBudgets.Code, "POST", Handler = "ConfirmEmail")]
[RateBudget(RateBudgets.Mail, "POST", Handler = "SetupEmail")]
public sealed class SecurityModel(
    BastionDbContext db,
    MfaEnrolment enrolment,
    Reauthentication reauthentication,
    RecentAuthentication recent,
    AccountService accounts,
    MfaEmailSendLimit emailLimit,
    SessionStore sessionStore) : PageModel
{
    public IReadOnlyList<(string Handle, SessionRecord Record)> Sessions { get; private set; } = [];

    public string? CurrentHandle => HttpContext.Features.Get<SessionFeature>()?.Handle;

    public User Account { get; private set; } = null!;

    public bool StepUpNeeded { get; private set; }

    public TotpSetup? PendingTotp { get; private set; }

    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }

    public bool EmailCodeSent { get; private set; }

    public string? Notice { get; private set; }

    public string? Error { get; private set; }

    public int RecoveryCodesRemaining => Account.RecoveryCodes is null ? 0 : Mfa.RecoveryCodes.CountRemaining(Account.RecoveryCodes);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
        => await LoadAsync(cancellationToken) ? Page() : Challenge();

    public Task<IActionResult> OnPostReauthenticateAsync(string? password, string? method, string? code, CancellationToken cancellationToken)
        => RunAsync(stepUp: false, async () =>
        {
            var result = await reauthentication.ConfirmAsync(HttpContext, Account, SessionId, password, method, code?.Trim(), cancellationToken);
            if (result.Outcome == ReauthenticationOutcome.Confirmed)
            {
                Notice = "Thank you. You can make changes for the next few minutes.";
            }
            else
            {
                Error = result.Outcome switch
                {
                    ReauthenticationOutcome.Refused => SignInRefusals.Message(result.Refused!),
                    ReauthenticationOutcome.MethodRequired or ReauthenticationOutcome.MethodUnavailable => "Choose one of your second factors.",
                    _ => "The password or the code is not correct.",
                };
            }
        }, cancellationToken);

    public Task<IActionResult> OnPostSetupTotpAsync(CancellationToken cancellationToken)
        => RunAsync(stepUp: true, async () =>
        {
            Response.Headers.CacheControl = "no-store";
            PendingTotp = await enrolment.BeginTotpAsync(Account, cancellationToken);
        }, cancellationToken);

    public Task<IActionResult> OnPostConfirmTotpAsync(string? code, CancellationToken cancellationToken)
        => RunAsync(stepUp: false, async () => Confirmed(await enrolment.ConfirmTotpAsync(HttpContext, Account, code?.Trim(), cancellationToken), "Authenticator app"), cancellationToken);

    public Task<IActionResult> OnPostSetupEmailAsync(CancellationToken cancellationToken)
        => RunAsync(stepUp: true, async () =>
        {
            if (await emailLimit.TryAcquireAsync(Account.Id, cancellationToken))
            {
                await enrolment.BeginEmailAsync(Account, cancellationToken);
            }

            EmailCodeSent = true;
        }, cancellationToken);

    public Task<IActionResult> OnPostConfirmEmailAsync(string? code, CancellationToken cancellationToken)
        => RunAsync(stepUp: false, async () => Confirmed(await enrolment.ConfirmEmailAsync(HttpContext, Account, code?.Trim(), cancellationToken), "E-mail codes"), cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(string? method, CancellationToken cancellationToken)
        => RunAsync(stepUp: true, async () =>
        {
            await enrolment.DisableAsync(HttpContext, Account, method == SecondFactorMethods.Email ? SecondFactorMethods.Email : SecondFactorMethods.Totp, cancellationToken);
            Notice = "The second factor is off.";
        }, cancellationToken);

    public Task<IActionResult> OnPostRecoveryCodesAsync(CancellationToken cancellationToken)
        => RunAsync(stepUp: true, async () =>
        {
            if (Account.MfaEnabled)
            {
                Response.Headers.CacheControl = "no-store";
                NewRecoveryCodes = await enrolment.RegenerateRecoveryCodesAsync(HttpContext, Account, cancellationToken);
            }
        }, cancellationToken);

    public Task<IActionResult> OnPostChangePasswordAsync(string? currentPassword, string? newPassword, CancellationToken cancellationToken)
        => RunAsync(stepUp: true, async () =>
        {
            var audited = HttpContext.AuditEvent(AuditEventTypes.PasswordChanged, severity: AuditSeverity.Warning);
            // This browser keeps its session; every other session and token family ends with the change.
            var result = await accounts.ChangePasswordAsync(Account.Id, currentPassword, newPassword, audited, SessionId, cancellationToken);
            if (result.Errors is not null)
            {
                Error = string.Join(" ", result.Errors.ToDictionary().Values.SelectMany(v => v));
                return;
            }

            Notice = "Your password has changed. You were signed out everywhere else.";
        }, cancellationToken);

    private string SessionId => HttpContext.Features.Get<SessionFeature>()?.Handle ?? string.Empty;

    private void Confirmed(MfaEnrolmentResult result, string what)
    {
        if (result.Confirmed)
        {
            NewRecoveryCodes = result.RecoveryCodes;
            Notice = $"{what} turned on.";
        }
        else
        {
            Error = result.Expired ? "The set-up expired. Start it again." : "That code is not valid. Try the newest code.";
        }
    }

    private async Task<IActionResult> RunAsync(bool stepUp, Func<Task> action, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Challenge();
        }

        if (stepUp && StepUpNeeded)
        {
            Error = "Confirm it is you first, then repeat the change.";
            return Page();
        }

        await action();
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var userId = User.UserId();
        var user = userId is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.Status == UserStatus.Active, cancellationToken);
        if (user is null || SessionId.Length == 0)
        {
            return false;
        }

        Account = user;
        Sessions = await sessionStore.ListAsync(user.Id, cancellationToken);
        StepUpNeeded = !await recent.IsRecentAsync(user.Id, SessionId, user.MfaEnabled, cancellationToken);
        return true;
    }
}
