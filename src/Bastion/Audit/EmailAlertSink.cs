using System.Globalization;
using Bastion.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bastion.Audit;

/// <summary>
/// Critical audit entries by e-mail to <c>Bastion:Audit:Alerts:Email</c>, through the e-mail outbox (which retries
/// on its own). The message says what happened, when, from where and under which request id — never the
/// entry's changes or details, which stay in the audit log.
/// </summary>
internal sealed class EmailAlertSink(IServiceProvider services, IOptions<AuditOptions> options) : IAuditAlertSink
{
    public Task SendAsync(AuditRecord alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        // The outbox is looked up, not injected: the audit log also works in a host that sends no e-mail.
        if (options.Value.Alerts.Email is not { Length: > 0 } recipient || services.GetService<IEmailOutbox>() is not { } outbox)
        {
            return Task.CompletedTask;
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"""
            A critical security event was recorded.

            Event:      {alert.Type} ({alert.Outcome})
            When:       {alert.OccurredAt:u}
            User:       {alert.UserId?.ToString() ?? "-"}
            Address:    {alert.IpAddress ?? "-"}
            Request:    {alert.RequestId ?? "-"}
            Audit seq:  {alert.Seq}
            """);
        return outbox.EnqueueAsync(new EmailMessage(recipient, $"Security alert: {alert.Type}", text) { Category = "audit-alert" }, null, cancellationToken);
    }
}
