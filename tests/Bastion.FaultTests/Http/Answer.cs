using System.Text.Json.Nodes;

namespace Bastion.FaultTests.Http;

/// <summary>What a request came back with; <see cref="Status"/> 0 when no node answered at all.</summary>
internal sealed record Answer(int Status, string? Code, TimeSpan? RetryAfter, bool HasRetryAfter, string Body, IReadOnlyList<string> SetCookies)
{
    public static readonly Answer Unanswered = new(0, null, null, false, string.Empty, []);

    public bool Answered => Status != 0;

    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>A 5xx or no answer: what a client cannot act on except by trying again.</summary>
    public bool Failed => Status is 0 or >= 500;

    public JsonNode? Json => Body.Length > 0 && Body[0] is '{' or '[' ? JsonNode.Parse(Body) : null;

    /// <summary>The delay a client waits before trying again: Retry-After when given, at most a second; else 200 ms.</summary>
    public TimeSpan RetryDelay => RetryAfter is { } after ? TimeSpan.FromSeconds(Math.Clamp(after.TotalSeconds, 0.05, 1)) : TimeSpan.FromMilliseconds(200);

    public static async Task<Answer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var retryAfter = response.Headers.RetryAfter;
        TimeSpan? delay = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        return new Answer((int)response.StatusCode, ProblemCode(response, body), delay, retryAfter is not null, body, cookies);
    }

    // RFC 9457 problem details carry Bastion's stable code in "code"; other bodies have none.
    private static string? ProblemCode(HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) != true || body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body)?["code"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
