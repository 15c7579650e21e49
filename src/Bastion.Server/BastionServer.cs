using Bastion.Hosting;
using Bastion.Server.Domain;

namespace Bastion.Server;

/// <summary>The reference host: Bastion's library plus the web pages.</summary>
public static class BastionServer
{
    /// <param name="args">Command-line arguments.</param>
    /// <param name="configure">Changes to the builder before the application is built.</param>
    /// <param name="map">More endpoints, mapped after Bastion's own.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? map = null)
    {
        // The application name is this assembly even when another one (a test, a benchmark) is the entry point:
        // Razor Pages and static web assets are found through it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(BastionServer).Assembly.GetName().Name,
        });
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls("http://localhost:5080");
        }

        builder.Services.AddBastion(builder.Configuration);
        builder.Services.AddSampleDomain();
        builder.Services.AddRazorPages(options => options.Conventions.AuthorizeFolder("/Account", BastionAuthentication.Policy));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseBastion();
        app.MapRazorPages();
        app.MapBastionEndpoints();
        app.MapSampleDomain();
        map?.Invoke(app);
        return app;
    }
}
