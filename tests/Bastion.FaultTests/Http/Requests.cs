using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Bastion.FaultTests.Http;

/// <summary>Builders for the requests the suite sends; each call builds a fresh message for the node it goes to.</summary>
internal static class Requests
{
    public const string SessionCookie = "__Host-bastion";

    public static Func<Uri, HttpRequestMessage> Get(string path, Credential? credential = null)
        => node => With(new HttpRequestMessage(HttpMethod.Get, new Uri(node, path)), credential);

    public static Func<Uri, HttpRequestMessage> Post(string path, object? body, Credential? credential = null, string? idempotencyKey = null)
        => node =>
        {
            var message = With(new HttpRequestMessage(HttpMethod.Post, new Uri(node, path)) { Content = body is null ? null : JsonContent.Create(body) }, credential);
            if (idempotencyKey is not null)
            {
                message.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            return message;
        };

    public static Func<Uri, HttpRequestMessage> Upload(string path, string fileName, byte[] content, Credential credential)
        => node =>
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", fileName);
            return With(new HttpRequestMessage(HttpMethod.Post, new Uri(node, path)) { Content = form }, credential);
        };

    private static HttpRequestMessage With(HttpRequestMessage message, Credential? credential)
    {
        switch (credential)
        {
            case Credential.Bearer bearer:
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer.AccessToken);
                break;
            case Credential.Cookie cookie:
                message.Headers.Add("Cookie", $"{SessionCookie}={cookie.Value}");
                break;
        }

        return message;
    }
}
