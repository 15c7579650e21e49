using Bastion.Abuse;
using Bastion.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bastion.Server.Pages.Account;

[RateBudget(RateBudgets.Mail, "POST", Handler = "ResendVerification")]
public sealed class AccountModel(SessionStore sessions, Bastion.Tokens.TokenService tokens, Bastion.Access.AccessSubjectStore subjects, Bastion.Recovery.EmailVerification verification) : PageModel
{
    public IReadOnlyList<(string Handle, SessionRecord Record)> Sessions { get; private set; } = [];

    public string? CurrentHandle { get; private set; }

    public string? Email { get; private set; }

    public IReadOnlyList<string> Roles { get; private set; } = [];

    public string? Notice { get; private set; }

    public bool EmailVerified { get; private set; } = true;

    public async Task<IActionResult> OnPostResendVerificationAsync(CancellationToken cancellationToken)
    {
        var wait = await verification.ResendAsync(User.UserId()!.Value, cancellationToken);
        await LoadAsync(cancellationToken);
        Notice = wait is null
            ? "A new link is on its way to your address."
            : $"A link was sent a moment ago; you can ask again in {Math.Max(1, (int)Math.Ceiling(wait.Value.TotalMinutes))} minute(s).";
        return Page();
    }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostRevokeAsync(string id, CancellationToken cancellationToken)
    {
        // Scoped to the signed-in user: another user's session id is simply not found.
        var ended = await sessions.RevokeAsync(User.UserId()!.Value, id ?? string.Empty, cancellationToken);
        await LoadAsync(cancellationToken);
        Notice = ended ? "The session has ended." : "That session had already ended.";
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeOthersAsync(CancellationToken cancellationToken)
    {
        // Other browsers and API clients alike: every session and token family but this browser's.
        var ended = await tokens.RevokeOthersAsync(User.UserId()!.Value, "signed_out_elsewhere", HttpContext.Features.Get<SessionFeature>()?.Handle, null, cancellationToken);
        await LoadAsync(cancellationToken);
        Notice = $"Signed out {ended} other session(s) and app(s).";
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        CurrentHandle = HttpContext.Features.Get<SessionFeature>()?.Handle;
        Email = User.FindFirst(BastionClaims.Email)?.Value;
        Roles = User.FindAll(BastionClaims.Role).Select(c => c.Value).ToList();
        Sessions = await sessions.ListAsync(User.UserId()!.Value, cancellationToken);
        EmailVerified = (await subjects.GetAsync(User.UserId()!.Value, cancellationToken))?.EmailVerified ?? true;
    }
}
