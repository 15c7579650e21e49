using Bastion.Audit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bastion.Hosting;

/// <summary>
/// Writes the audit entries still queued when the node stops, and only then lets shutdown go on. Registered
/// before every other hosted service, so it stops after all of them: after the server has stopped accepting and
/// finished the requests in flight, and after background services that audit (key rotation, the outbox) stopped.
/// An entry is written at most <see cref="Audit.AuditOptions.BatchWindow"/> after it was queued, so this
/// normally takes well under a second.
/// </summary>
internal sealed partial class AuditQueueDrain(AuditLog audit, ILogger<AuditQueueDrain> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await audit.CompleteAsync(cancellationToken);
            Log.Drained(logger);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The shutdown timeout ran out; disposing the container still waits for the writer.
            Log.DrainTimedOut(logger);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Audit queue written out at shutdown", EventName = "AuditQueueDrained")]
        public static partial void Drained(ILogger logger);

        [LoggerMessage(2, LogLevel.Warning, "The shutdown timeout ran out before the audit queue was written out; raise Bastion:Shutdown:Timeout", EventName = "AuditQueueDrainTimedOut")]
        public static partial void DrainTimedOut(ILogger logger);
    }
}
