using Microsoft.AspNetCore.Mvc.Filters;

namespace Bastion.Server.Pages;

/// <summary>
/// For pages opened from a mailed link whose URL carries a single-use token: the answer is never stored by a browser
/// or proxy cache, and no request from the page to another site names the URL in its Referer.
/// </summary>
/// <remarks>
/// <c>same-origin</c>, not <c>no-referrer</c>: under <c>no-referrer</c> browsers send <c>Origin: null</c> with the
/// page's own form post, which the cross-site request check rightly refuses.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CarriesSecretAttribute : ResultFilterAttribute
{
    public override void OnResultExecuting(ResultExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "same-origin";
    }
}
