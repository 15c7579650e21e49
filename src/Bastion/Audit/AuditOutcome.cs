namespace Bastion.Audit;

/// <summary>How the audited action ended; stored and exported in lower case (<c>success</c>, <c>failure</c>, <c>denied</c>).</summary>
public enum AuditOutcome
{
    /// <summary>The action was carried out.</summary>
    Success,

    /// <summary>The action failed: wrong credentials, invalid input, an error.</summary>
    Failure,

    /// <summary>The action was refused by an access-control or protection decision.</summary>
    Denied,
}
