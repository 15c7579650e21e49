namespace Bastion.Audit;

/// <summary>How urgent an audit event is; stored and exported in lower case (<c>info</c>, <c>warning</c>, <c>critical</c>).</summary>
public enum AuditSeverity
{
    /// <summary>Normal activity: sign-ins, reads, changes.</summary>
    Info,

    /// <summary>Worth a look: failures and refusals that may be part of an attack.</summary>
    Warning,

    /// <summary>Someone should act now: these also go to every <see cref="IAuditAlertSink"/>.</summary>
    Critical,
}
