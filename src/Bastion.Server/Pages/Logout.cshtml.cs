using Bastion.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bastion.Server.Pages;

/// <summary>Signing out is a POST (a GET would let any page log the user out with an image tag).</summary>
public sealed class LogoutModel : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(SessionDefaults.AuthenticationScheme);
        return LocalRedirect("/");
    }
}
