using System.Net;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace Bastion.IntegrationTests.Protection;

/// <summary>Every page route answers 405 with an <c>Allow</c> header to the methods it has no handler for.</summary>
public sealed class PageMethodTests : IAsyncLifetime
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "TRACE"];

    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("TRACE")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task HomePage_WithAMethodItDoesNotHandle_Answers405WithAllow(string method)
    {
        using var client = _host.CreateClient();

        using var response = await client.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EveryPage_EachMethod_405UnlessThePageHandlesIt()
    {
        var loader = _host.Services.GetRequiredService<PageLoader>();
        var pages = _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .ToList();
        Assert.NotEmpty(pages);
        using var client = _host.CreateClient();
        var failures = new List<string>();

        foreach (var page in pages)
        {
            var compiled = await loader.LoadAsync(page.Metadata.GetMetadata<PageActionDescriptor>()!, page.Metadata);
            var handled = compiled.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).Append("GET").Append("HEAD").ToHashSet();
            var path = "/" + page.RoutePattern.RawText;
            foreach (var method in Methods)
            {
                using var response = await client.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
                var refused = response.StatusCode == HttpStatusCode.MethodNotAllowed;
                if (handled.Contains(method) == refused)
                {
                    failures.Add($"{method} {path}: {(int)response.StatusCode}");
                }
                else if (refused && !response.Content.Headers.Allow.ToHashSet().SetEquals(handled))
                {
                    failures.Add($"{method} {path}: Allow {string.Join(", ", response.Content.Headers.Allow)}, expected {string.Join(", ", handled)}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
