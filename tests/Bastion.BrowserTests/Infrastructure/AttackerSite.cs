using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Bastion.BrowserTests.Infrastructure;

/// <summary>
/// Another web site on its own loopback port: <c>GET /forge?action=URL</c> answers a page whose form POSTs itself to
/// <c>URL</c> as soon as it loads, the classic cross-site request forgery.
/// </summary>
public sealed class AttackerSite : IAsyncLifetime
{
    private WebApplication _app = null!;

    public Uri Address { get; private set; } = null!;

    /// <summary>The forging page's URL under <paramref name="host"/> (another origin, or another site, than Bastion's).</summary>
    public Uri ForgeryOf(Uri target, string host)
        => new UriBuilder(Address) { Host = host, Path = "/forge", Query = "action=" + Uri.EscapeDataString(target.ToString()) }.Uri;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/forge", (string action) => Results.Content(
            $"""
            <!DOCTYPE html>
            <html><body>
            <form method="post" action="{WebUtility.HtmlEncode(action)}"><input type="hidden" name="id" value="all"></form>
            <script>document.forms[0].submit();</script>
            </body></html>
            """,
            "text/html"));
        await _app.StartAsync();
        Address = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
