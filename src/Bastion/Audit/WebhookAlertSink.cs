using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Bastion.Audit;

/// <summary>
/// Sends each critical entry to <c>Bastion:Audit:Alerts:WebhookUrl</c> as a JSON POST (the entry as in the JSON Lines
/// export). The receiver authenticates it by the headers:
/// <list type="bullet">
/// <item><c>X-Bastion-Timestamp</c>: Unix seconds when this attempt was signed;</item>
/// <item><c>X-Bastion-Signature</c>: <c>sha256=</c> + lower-case hex HMAC-SHA256(WebhookSecret as UTF-8,
/// timestamp ‖ "." ‖ body) — the timestamp is signed so that a captured alert cannot be replayed later;</item>
/// <item><c>X-Bastion-Delivery</c>: the entry's seq, the same on every retry, so a receiver can drop duplicates.</item>
/// </list>
/// Any answer other than 2xx, a timeout or a network error is a failed attempt and is retried by
/// <see cref="AuditAlertDispatcher"/>. Redirects are not followed: the alert goes only where it was configured to go.
/// </summary>
internal sealed class WebhookAlertSink(IHttpClientFactory clients, IOptions<AuditOptions> options, TimeProvider time) : IAuditAlertSink
{
    public const string HttpClientName = "Bastion.Audit.Webhook";
    public const string SignatureHeader = "X-Bastion-Signature";
    public const string TimestampHeader = "X-Bastion-Timestamp";
    public const string DeliveryHeader = "X-Bastion-Delivery";

    public async Task SendAsync(AuditRecord alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var settings = options.Value.Alerts;
        if (settings.WebhookUrl is not { } url || settings.WebhookSecret is not { } secret)
        {
            return;
        }

        var body = Serialize(alert);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, "sha256=" + Sign(secret, timestamp, body));
        request.Headers.Add(DeliveryHeader, alert.Seq.ToString(CultureInfo.InvariantCulture));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The alert webhook answered {(int)response.StatusCode}.", null, response.StatusCode);
        }
    }

    /// <summary>Lower-case hex HMAC-SHA256 over <c>timestamp.body</c>: what a receiver recomputes and compares in constant time.</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    private static byte[] Serialize(AuditRecord alert)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            AuditRecordJson.Write(writer, alert);
        }

        return buffer.ToArray();
    }
}
