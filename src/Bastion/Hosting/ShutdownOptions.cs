namespace Bastion.Hosting;

/// <summary>Graceful shutdown (<c>Bastion:Shutdown</c>).</summary>
public sealed class ShutdownOptions
{
    /// <summary>
    /// How long a stopping node (SIGTERM, Ctrl+C) may take in all: to finish the requests it has accepted, then to
    /// let its background services (the audit writer, the e-mail outbox) write what they hold. Keep it below the
    /// time the supervisor waits before killing the process (Kubernetes' terminationGracePeriodSeconds, 30 s by
    /// default; <c>docker stop -t</c>, 10 s by default; systemd's TimeoutStopSec). Default 25 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(25);
}
