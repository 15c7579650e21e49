using Microsoft.AspNetCore.Mvc.Filters;

namespace Bastion.Server.Pages;

/// <summary>
/// For pages opened from a mailed link whose URL carries a single-use token: the answer is never stored by a browser
/// or proxy cache, and no request from the page (a stylesheet, a followed link) names the URL in its Referer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CarriesSecretAttribute : ResultFilterAttribute
{
    public override void OnResultExecuting(ResultExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
