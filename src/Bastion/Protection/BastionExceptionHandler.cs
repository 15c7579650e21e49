using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Bastion.Redis;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bastion.Protection;

/// <summary>
/// Turns what clients got wrong (malformed or oversized bodies, unknown fields) into specific 4xx problems, and
/// anything else into a bare 500 that says nothing about the internals.
/// </summary>
internal sealed partial class BastionExceptionHandler(ILogger<BastionExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = Classify(exception);
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            Log.DependencyUnavailable(logger, exception.GetType().Name);
            httpContext.Response.Headers.RetryAfter = "1";
        }
        else if (status >= 500)
        {
            Log.UnhandledException(logger, exception);
        }

        await BastionProblems.WriteAsync(httpContext, status, code, detail);
        return true;
    }

    internal static (int Status, string Code, string Detail) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, ErrorCodes.PayloadTooLarge, "The request body is larger than this endpoint accepts."),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
            (415, ErrorCodes.UnsupportedMediaType, "Send the body as application/json."),
        BadHttpRequestException { InnerException: JsonException json } when IsUnknownMember(json) =>
            (400, ErrorCodes.UnknownField, $"The body has a field this endpoint does not accept{PathOf(json)}."),
        BadHttpRequestException { InnerException: JsonException json } =>
            (400, ErrorCodes.InvalidRequest, $"The body is not valid JSON for this endpoint{PathOf(json)}."),
        BadHttpRequestException bad =>
            (bad.StatusCode, ErrorCodes.ForStatus(bad.StatusCode), "The request could not be read."),
        // The state store or database is briefly unreachable (a Redis restart, a failover): the client may retry.
        RedisConnectionException or NpgsqlException { IsTransient: true } or TimeoutException and not System.Text.RegularExpressions.RegexMatchTimeoutException =>
            (503, ErrorCodes.ServiceUnavailable, "A backing service is briefly unavailable; retry in a moment."),
        _ => (500, ErrorCodes.InternalError, "The server could not complete the request."),
    };

    // System.Text.Json reports JsonUnmappedMemberHandling.Disallow violations with this wording.
    private static bool IsUnknownMember(JsonException json)
        => json.Message.Contains("could not be mapped", StringComparison.Ordinal);

    private static string PathOf(JsonException json) => string.IsNullOrEmpty(json.Path) ? string.Empty : $" (at {json.Path})";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Unhandled exception", EventName = "UnhandledException")]
        public static partial void UnhandledException(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "A backing service was unavailable ({ExceptionType}); answered 503", EventName = "DependencyUnavailable")]
        public static partial void DependencyUnavailable(ILogger logger, string exceptionType);
    }
}
