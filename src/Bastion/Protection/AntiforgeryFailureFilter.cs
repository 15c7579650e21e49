using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;

namespace Bastion.Protection;

/// <summary>
/// Razor Pages and MVC refuse a form without a valid antiforgery token with a bare 400; this gives that refusal
/// the same answer as every other CSRF failure: 403 with the code <c>csrf_failed</c>.
/// </summary>
internal sealed class AntiforgeryFailureFilter : IAsyncAlwaysRunResultFilter
{
    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            await BastionProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, ErrorCodes.CsrfFailed,
                "The form has expired or did not come from this site. Reload the page and try again.");
            context.Cancel = true;
            return;
        }

        await next();
    }
}
