using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bastion.Server.Pages;

public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
