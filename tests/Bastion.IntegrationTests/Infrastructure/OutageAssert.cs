using System.Globalization;
using System.Net;

namespace Bastion.IntegrationTests.Infrastructure;

/// <summary>What every answer during an outage must be: 503, a short <c>Retry-After</c>, the stable code.</summary>
internal static class OutageAssert
{
    public static async Task ServiceUnavailableAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{what}: expected 503, got {(int)response.StatusCode}: {text}");
        var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, CultureInfo.InvariantCulture), 1, 5);
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            Assert.Contains("\"code\":\"service_unavailable\"", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        }
    }

    /// <summary>A GET as a browser sends it for a page.</summary>
    public static HttpRequestMessage PageRequest(string path, string accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }
}
