using Bastion.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Email;

/// <summary>
/// Development runs with nothing configured: mail is written to <c>{DataDirectory}/outbox</c>, from
/// <c>bastion@localhost</c>, with links to http://localhost:5080. Production gets no defaults here, so that mail is
/// never silently written to disk or sent from a made-up address.
/// </summary>
internal sealed class EmailOptionsDefaults(IHostEnvironment environment, IOptions<BastionOptions> bastion) : IPostConfigureOptions<EmailOptions>
{
    public const string DevelopmentFrom = "bastion@localhost";
    public static readonly Uri DevelopmentBaseUrl = new("http://localhost:5080");

    public void PostConfigure(string? name, EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (environment.IsDevelopment())
        {
            if (string.IsNullOrWhiteSpace(options.From))
            {
                options.From = DevelopmentFrom;
            }

            options.PublicBaseUrl ??= DevelopmentBaseUrl;
        }

        if (!environment.IsProduction() && string.IsNullOrWhiteSpace(options.Smtp.Host) && string.IsNullOrWhiteSpace(options.PickupDirectory))
        {
            options.PickupDirectory = Path.Combine(bastion.Value.DataDirectory, "outbox");
        }
    }
}
