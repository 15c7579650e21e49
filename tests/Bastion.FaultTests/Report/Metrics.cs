using Bastion.FaultTests.Load;
using Bastion.FaultTests.Phases;

namespace Bastion.FaultTests.Report;

/// <summary>The measures of every phase, in table order, with the goals of issue 11 where it sets one.</summary>
internal static class Metrics
{
    public static IReadOnlyList<Metric> All { get; } =
    [
        new("requests", r => r.Stats.Requests),
        new("2xx", r => r.Stats.Succeeded),
        new("5xx (all)", r => r.Stats.ServerErrors.Values.Sum()),
        new("500 answers", r => r.Stats.InternalErrors, Goal.Zero()),
        new("5xx other than 503", r => r.Stats.ServerErrors.Where(e => !e.Key.StartsWith("503", StringComparison.Ordinal)).Sum(e => e.Value), Goal.Zero()),
        new("503 without Retry-After", r => r.Stats.UnavailableWithoutRetryAfter, Goal.Zero()),
        new("connection errors", r => r.Stats.ConnectionErrors),
        new("failovers to the other node", r => r.Stats.Failovers),
        new("requests no node answered", r => r.Stats.Unanswered),
        new("slowest answer, s", r => r.Stats.MaxLatencySeconds, Format: "0.00"),
        new("errors after return, s", r => r.RecoverySeconds, Goal.Below(1, "s"), "0.00"),
        new("failover time (max), s", r => r.Stats.MaxFailoverSeconds, Goal.Below(2, "s", p => p.KillsNode), "0.00"),
        new("sessions stopped working", r => r.Probes.SessionsLost, Goal.Zero(p => !p.LosesSessions)),
        new("bearer tokens stopped working", r => r.Probes.BearersLost, Goal.Zero()),
        new("revoked tokens accepted (new)", r => r.Revocation.NewlyAccepted, Goal.Zero()),
        new("revoked tokens accepted (all)", r => r.Revocation.Accepted),
        new("revoked tokens checked", r => r.Revocation.Checked),
        new("checks without an answer", r => r.Probes.Unanswered + r.Revocation.Unanswered, Goal.Zero()),
        new("false refresh_reused", r => r.Stats.Count(LoadEvent.FalseRefreshReuse), Goal.Zero()),
        new("refresh 409 on retry", r => r.Stats.Count(LoadEvent.RefreshConflict)),
        new("refresh chains ended otherwise", r => r.Stats.Count(LoadEvent.RefreshChainEnded)),
        new("refresh retries", r => r.Stats.Count(LoadEvent.RefreshRetry)),
        new("creates answered 2xx", r => r.Audit.Acknowledged),
        new("create retries (same key)", r => r.Stats.Count(LoadEvent.CreateRetry)),
        new("creates given up", r => r.Stats.Count(LoadEvent.CreateGaveUp)),
        new("rows without audit entry", r => r.Audit.Unaudited, Goal.Zero()),
        new("2xx creates without audit entry", r => r.Audit.LostFor2xx, Goal.Zero()),
        new("audit entries without row", r => r.Audit.WithoutChange, Goal.Zero()),
        new("duplicate rows from retries", r => r.Audit.Duplicates, Goal.Zero()),
        new("reset mails due (202)", r => r.MailsDue),
        new("reset mails lost", r => r.MailsLost, Goal.Zero()),
        new("attachments uploaded", r => r.Stats.Count(LoadEvent.AttachmentUploaded)),
        new("attachments 404 on other node", r => r.Stats.Count(LoadEvent.AttachmentMissing), Goal.Zero()),
        new("load sessions signed in again", r => r.Stats.Count(LoadEvent.SessionSignedInAgain)),
        new("load tokens signed in again", r => r.Stats.Count(LoadEvent.BearerSignedInAgain)),
        new("RSS node A at end, MiB", r => r.ResidentMebibytes.ElementAtOrDefault(0) ?? double.NaN),
        new("RSS node B at end, MiB", r => r.ResidentMebibytes.ElementAtOrDefault(1) ?? double.NaN),
        new("phase duration, s", r => r.Seconds, Format: "0.0"),
    ];

    /// <summary>Every (phase, measure) whose goal was missed.</summary>
    public static IEnumerable<(PhaseResult Result, Metric Metric)> Missed(IEnumerable<PhaseResult> results)
        => results.SelectMany(r => All.Where(m => !m.Meets(r)).Select(m => (r, m)));
}
