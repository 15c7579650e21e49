using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bastion.Protection;

/// <summary>
/// Razor Pages render a page for any method it has no handler for (<c>TRACE /</c>, <c>PUT /</c> answer 200 with the
/// page). A page answers GET and HEAD and the methods of its handlers (<c>OnPost</c> → POST); anything else is
/// 405 Method Not Allowed with an <c>Allow</c> header listing those (RFC 9110 §15.5.6), so no request the page was not
/// written for runs its code.
/// </summary>
internal sealed class PageMethodsMiddleware(RequestDelegate next)
{
    private static readonly ConditionalWeakTable<CompiledPageActionDescriptor, string[]> Allowed = [];

    public Task InvokeAsync(HttpContext context)
    {
        var page = context.GetEndpoint()?.Metadata.GetMetadata<CompiledPageActionDescriptor>();
        if (page is null)
        {
            return next(context);
        }

        var allowed = Allowed.GetValue(page, AllowedMethods);
        if (allowed.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = string.Join(", ", allowed);
        return Task.CompletedTask;
    }

    internal static string[] AllowedMethods(CompiledPageActionDescriptor page)
        => new[] { HttpMethods.Get, HttpMethods.Head }
            .Concat(page.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
}
