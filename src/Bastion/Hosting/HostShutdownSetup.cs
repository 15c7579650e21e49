using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Hosting;

/// <summary>
/// Gives the host <see cref="ShutdownOptions.Timeout"/>: the budget within which the server stops taking new
/// connections and drains the requests in flight, and then every hosted service stops in the reverse order of
/// registration (one after another, so the audit drain registered first runs last).
/// </summary>
internal sealed class HostShutdownSetup(IOptions<ShutdownOptions> shutdown) : IConfigureOptions<HostOptions>
{
    public void Configure(HostOptions options) => options.ShutdownTimeout = shutdown.Value.Timeout;
}
