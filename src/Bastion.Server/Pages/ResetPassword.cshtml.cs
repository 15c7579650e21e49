using Bastion.Abuse;
using Bastion.Accounts.Passwords;
using Bastion.Recovery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Bastion.Server.Pages;

/// <summary>
/// Opened from the reset e-mail (<c>?token=</c>). The GET only shows the form: mail scanners fetch links, so the
/// token is spent by the POST alone.
/// </summary>
[RateBudget(RateBudgets.Code, "POST")]
[CarriesSecret]
public sealed class ResetPasswordModel(PasswordReset reset, IOptions<PasswordPolicyOptions> policy) : PageModel
{
    private const string InvalidLink = "This reset link is invalid, has expired or was already used.";

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public bool Done { get; private set; }

    public string? Error { get; private set; }

    public int MinimumLength => policy.Value.MinimumLength;

    public void OnGet()
    {
        if (string.IsNullOrEmpty(Token))
        {
            Error = InvalidLink;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!string.Equals(NewPassword, ConfirmPassword, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(ConfirmPassword), "The two passwords differ.");
            return Page();
        }

        var result = await reset.ResetAsync(HttpContext, Token, NewPassword, cancellationToken);
        if (result.Errors is not null)
        {
            foreach (var message in result.Errors.ToDictionary().Values.SelectMany(m => m))
            {
                ModelState.AddModelError(nameof(NewPassword), message);
            }

            return Page();
        }

        Done = result.Succeeded;
        Error = result.Succeeded ? null : InvalidLink;
        return Page();
    }
}
