using Bastion.Abuse;
using Bastion.Recovery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bastion.Server.Pages;

/// <summary>Opened from the verification e-mail (<c>?token=</c>); the token is spent by the POST only.</summary>
[RateBudget(RateBudgets.Code, "POST")]
[CarriesSecret]
public sealed class VerifyEmailModel(EmailVerification verification) : PageModel
{
    private const string InvalidLink = "This confirmation link is invalid, has expired or was already used. Sign in and ask for a new one.";

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public bool Done { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
        if (string.IsNullOrEmpty(Token))
        {
            Error = InvalidLink;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Done = await verification.VerifyAsync(HttpContext, Token, cancellationToken);
        Error = Done ? null : InvalidLink;
        return Page();
    }
}
