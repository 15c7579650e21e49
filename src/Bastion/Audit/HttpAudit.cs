using Bastion.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bastion.Audit;

/// <summary>
/// Audit entries for the request at hand: who (the signed-in user), from where (address, user agent), which request
/// (its id, also in the response and the logs), and on what (method and path). The write completes only once the
/// entry is committed, so a request that has answered has left its trace.
/// </summary>
public static class HttpAudit
{
    private const int MaxUserAgentLength = 256;

    public static AuditEvent AuditEvent(this HttpContext context, string type, AuditOutcome outcome = AuditOutcome.Success, AuditSeverity severity = AuditSeverity.Info)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userAgent = context.Request.Headers.UserAgent.ToString();
        return new AuditEvent(type)
        {
            Outcome = outcome,
            Severity = severity,
            UserId = context.User.UserId(),
            IpAddress = context.Connection.RemoteIpAddress?.ToString(),
            UserAgent = userAgent.Length > MaxUserAgentLength ? userAgent[..MaxUserAgentLength] : userAgent,
            RequestId = context.TraceIdentifier,
            Resource = context.Request.Method + " " + context.Request.Path,
        };
    }

    public static Task AuditAsync(this HttpContext context, AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<IAuditLog>().WriteAsync(auditEvent, CancellationToken.None);
    }

    /// <summary>
    /// Stages an entry in <paramref name="db"/>'s unit of work, so that it commits with the change it records
    /// (<see cref="IAuditLog.Stage"/>): call it before the <c>SaveChanges</c> that stores the change.
    /// </summary>
    public static void StageAudit(this HttpContext context, DbContext db, AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.RequestServices.GetRequiredService<IAuditLog>().Stage(db, auditEvent);
    }

    /// <summary>Field-level changes between two snapshots; fields in <paramref name="concealed"/> are named but not shown.</summary>
    public static IReadOnlyDictionary<string, (object? Old, object? New)> Diff(
        IReadOnlyDictionary<string, object?> before, IReadOnlyDictionary<string, object?> after, params string[] concealed)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new Dictionary<string, (object? Old, object? New)>(StringComparer.Ordinal);
        foreach (var (field, newValue) in after)
        {
            var oldValue = before.GetValueOrDefault(field);
            if (!Equals(oldValue, newValue))
            {
                changes[field] = concealed.Contains(field, StringComparer.Ordinal)
                    ? (oldValue is null ? null : "[concealed]", newValue is null ? null : "[concealed]")
                    : (oldValue, newValue);
            }
        }

        return changes;
    }
}
