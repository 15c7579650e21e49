using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bastion.Protection;

/// <summary>
/// Turns what clients got wrong (malformed or oversized bodies, unknown fields) into specific 4xx problems, a
/// briefly unavailable database or state store (<see cref="DependencyFailure"/>) into 503 with <c>Retry-After</c>,
/// and anything else into a bare 500 that says nothing about the internals. Pages get the same answers: a
/// browser's <c>Accept</c> (<c>*/*</c>) takes problem+json, and a client that accepts no JSON gets the detail as
/// plain text rather than the framework's empty 500.
/// </summary>
internal sealed partial class BastionExceptionHandler(
    IProblemDetailsService problems,
    IHostApplicationLifetime lifetime,
    ILogger<BastionExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>
    /// The wait suggested to clients during an outage: a Redis reconnection or a PostgreSQL restart takes a
    /// second or a few, and a short wait spreads the retries of many clients without keeping them away long.
    /// </summary>
    private static readonly TimeSpan OutageRetryAfter = TimeSpan.FromSeconds(2);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.RequestAborted.IsCancellationRequested && exception is OperationCanceledException)
        {
            // The client went away and its request was cancelled with it: nobody reads an answer, and it is no fault.
            Log.ClientAborted(logger);
            return true;
        }

        var (status, code, detail) = Classify(exception);
        if (status == StatusCodes.Status500InternalServerError
            && DependencyFailure.IsTransient(exception, httpContext.RequestAborted.IsCancellationRequested, lifetime.ApplicationStopping.IsCancellationRequested))
        {
            (status, code, detail) = (503, ErrorCodes.ServiceUnavailable, "A backing service is briefly unavailable; retry in a moment.");
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            Log.DependencyUnavailable(logger, exception.GetType().Name, Innermost(exception).GetType().Name);
            BastionProblems.SetRetryAfter(httpContext, OutageRetryAfter);
        }
        else if (status >= 500)
        {
            Log.UnhandledException(logger, exception);
        }

        httpContext.Response.StatusCode = status;
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Detail = detail, Extensions = { ["code"] = code } },
        });
        if (!written)
        {
            httpContext.Response.ContentType = "text/plain; charset=utf-8";
            await httpContext.Response.WriteAsync(detail, cancellationToken);
        }

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
        _ => (500, ErrorCodes.InternalError, "The server could not complete the request."),
    };

    // System.Text.Json reports JsonUnmappedMemberHandling.Disallow violations with this wording.
    private static bool IsUnknownMember(JsonException json)
        => json.Message.Contains("could not be mapped", StringComparison.Ordinal);

    private static string PathOf(JsonException json) => string.IsNullOrEmpty(json.Path) ? string.Empty : $" (at {json.Path})";

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    private static partial class Log
    {
        [LoggerMessage(3, LogLevel.Debug, "The client closed the connection; its request was cancelled", EventName = "ClientAborted")]
        public static partial void ClientAborted(ILogger logger);

        [LoggerMessage(1, LogLevel.Error, "Unhandled exception", EventName = "UnhandledException")]
        public static partial void UnhandledException(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "A backing service was unavailable ({ExceptionType}, caused by {CauseType}); answered 503", EventName = "DependencyUnavailable")]
        public static partial void DependencyUnavailable(ILogger logger, string exceptionType, string causeType);
    }
}
