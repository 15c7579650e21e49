namespace Bastion.FaultTests.Load;

/// <summary>What the workloads observe beyond status codes; each is counted per phase.</summary>
internal enum LoadEvent
{
    /// <summary>401 refresh_reused for a token this honest client never saw answered: a false breach alert.</summary>
    FalseRefreshReuse,

    /// <summary>409 refresh_conflict for a retried token whose first answer the client never saw.</summary>
    RefreshConflict,

    /// <summary>A refresh sent again with the same token after no answer or a 5xx.</summary>
    RefreshRetry,

    /// <summary>A refresh chain that ended for another reason (expired, revoked, invalid, or retries exhausted).</summary>
    RefreshChainEnded,

    /// <summary>A create sent again with the same Idempotency-Key after no answer or a 5xx.</summary>
    CreateRetry,

    /// <summary>A create that got no 2xx after every retry.</summary>
    CreateGaveUp,

    /// <summary>A load session (cookie) that got 401 and signed in again.</summary>
    SessionSignedInAgain,

    /// <summary>A load bearer token that got 401 and signed in again.</summary>
    BearerSignedInAgain,

    /// <summary>A forgot-password request answered 202, so a mail is due.</summary>
    MailRequested,

    /// <summary>An attachment uploaded through one node.</summary>
    AttachmentUploaded,

    /// <summary>An attachment uploaded through one node that the other node could not serve.</summary>
    AttachmentMissing,
}
