using System.Reflection;
using System.Runtime.CompilerServices;
using Bastion.Protection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bastion.Validation;

/// <summary>
/// Checks every query-string value a minimal API handler binds before the handler runs: a value that does not parse
/// as the parameter's type, or lies outside the parameter's <see cref="System.ComponentModel.DataAnnotations.RangeAttribute"/>,
/// is a 400 <c>validation_failed</c> naming the parameter (RFC 9457 validation problem) — never a 500 from the
/// database, and never a silent fallback to a default (OWASP ASVS 5.1.3, input validated against an allow-list of
/// types and ranges).
/// </summary>
internal sealed class QueryParameterValidationMiddleware(RequestDelegate next)
{
    private static readonly ConditionalWeakTable<Endpoint, IReadOnlyList<QueryParameter>> Parameters = [];

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<MethodInfo>() is not { } handler)
        {
            await next(context);
            return;
        }

        var parameters = Parameters.GetValue(endpoint, e => QueryParameter.Of(handler, (e as RouteEndpoint)?.RoutePattern));
        var errors = new FieldErrors();
        foreach (var parameter in parameters)
        {
            var values = context.Request.Query[parameter.Name];
            if (values.Count > 1)
            {
                errors.Add(parameter.Name, $"Give {parameter.Name} once.");
                continue;
            }

            if (parameter.Check(values.Count == 0 ? null : values[0]) is { } message)
            {
                errors.Add(parameter.Name, message);
            }
        }

        if (errors.IsEmpty)
        {
            await next(context);
            return;
        }

        await BastionProblems.Validation(errors.ToDictionary()).ExecuteAsync(context);
    }
}
