namespace Bastion.Audit;

/// <summary>
/// Somewhere critical audit events are sent once they are committed (OWASP Logging Cheat Sheet, "Monitoring of
/// events"). Sends run in the background, away from the request that recorded the event; a sink
/// throws to report a failed delivery, which is then retried with backoff (<see cref="AuditAlertOptions"/>).
/// </summary>
public interface IAuditAlertSink
{
    /// <summary>Delivers one alert; throws when it could not, so that it is tried again.</summary>
    Task SendAsync(AuditRecord alert, CancellationToken cancellationToken);
}
