using Bastion.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Audit;

/// <summary>One node's audit writer (and its alert dispatcher) over a test database.</summary>
internal sealed class AuditHarness : IAsyncDisposable
{
    public AuditHarness(AuditDatabase database, Action<AuditOptions>? configure = null, params IAuditAlertSink[] sinks)
    {
        var options = new AuditOptions();
        configure?.Invoke(options);
        Options = Microsoft.Extensions.Options.Options.Create(options);
        Alerts = new AuditAlertDispatcher(sinks, Options, TimeProvider.System, NullLogger<AuditAlertDispatcher>.Instance)
        {
            ShutdownGrace = TimeSpan.FromMilliseconds(500),
        };
        Log = new AuditLog(database, Options, Alerts, TimeProvider.System, NullLogger<AuditLog>.Instance);
    }

    public IOptions<AuditOptions> Options { get; }

    public AuditLog Log { get; }

    public AuditAlertDispatcher Alerts { get; }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        await Alerts.DisposeAsync();
    }
}
