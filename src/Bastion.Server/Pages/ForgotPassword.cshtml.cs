using Bastion.Abuse;
using Bastion.Email;
using Bastion.Recovery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Bastion.Server.Pages;

[RateBudget(RateBudgets.Mail, "POST")]
public sealed class ForgotPasswordModel(PasswordReset reset, IOptions<RecoveryOptions> options) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    public bool Sent { get; private set; }

    public string ValidFor => EmailTemplates.Duration(options.Value.PasswordResetLifetime);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await reset.RequestAsync(HttpContext, Email, cancellationToken) is { } errors)
        {
            foreach (var message in errors.ToDictionary().Values.SelectMany(m => m))
            {
                ModelState.AddModelError(nameof(Email), message);
            }

            return Page();
        }

        Sent = true;
        return Page();
    }
}
