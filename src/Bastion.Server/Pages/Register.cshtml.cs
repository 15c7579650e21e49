using Bastion.Abuse;
using Bastion.Accounts;
using Bastion.Accounts.Passwords;
using Bastion.Recovery;
using Bastion.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Bastion.Server.Pages;

[RateBudget(RateBudgets.Mail, "POST")]
public sealed class RegisterModel(AccountService accounts, EmailVerification verification, IOptions<PasswordPolicyOptions> policy) : PageModel
{
    // Service field names (camelCase, as in the JSON API) to the page's input names.
    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["email"] = "Input.Email",
        ["fullName"] = "Input.FullName",
        ["password"] = "Input.Password",
        ["requestedRole"] = "Input.RequestedRole",
    };

    [BindProperty]
    public RegisterInput Input { get; set; } = new();

    public string? Error { get; private set; }

    public int? Strength { get; private set; }

    public int MinimumLength => policy.Value.MinimumLength;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await accounts.RegisterAsync(
            new Registration(Input.Email, Input.Password, Input.FullName, string.IsNullOrEmpty(Input.RequestedRole) ? null : Input.RequestedRole),
            cancellationToken);

        if (result.Errors is not null)
        {
            foreach (var (field, messages) in result.Errors.ToDictionary())
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(FieldNames.GetValueOrDefault(field, field), message);
                }
            }

            Strength = result.Password?.Score;
            return Page();
        }

        if (result.EmailTaken)
        {
            ModelState.AddModelError("Input.Email", "An account with this e-mail address already exists.");
            return Page();
        }

        var user = result.User!;
        await verification.SendAsync(user, cancellationToken);
        return LocalRedirect(user.Status == UserStatus.PendingApproval ? "/login?pending=true" : "/login?registered=true");
    }

    public sealed class RegisterInput
    {
        public string? FullName { get; set; }
        public string? Email { get; set; }
        public string? Password { get; set; }
        public string? RequestedRole { get; set; }
    }
}
