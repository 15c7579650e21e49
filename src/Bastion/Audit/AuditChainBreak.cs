namespace Bastion.Audit;

/// <summary>What is wrong at the first broken link of the audit chain.</summary>
public enum AuditChainBreakKind
{
    /// <summary>Entries are missing: the seq after the last good entry is not the next number (deleted rows).</summary>
    Gap,

    /// <summary>An entry's prev_hash is not the hash of the entry before it (rows removed, inserted or reordered and re-hashed).</summary>
    Link,

    /// <summary>An entry's contents no longer give its hash (the row was edited, or moved to another seq).</summary>
    Hash,

    /// <summary>An entry's stored values cannot be read back (a column was edited to something the writer never stores).</summary>
    Unreadable,
}

/// <summary>The first broken link: where, what, and a sentence for the operator.</summary>
public sealed record AuditChainBreak(long Seq, AuditChainBreakKind Kind, string Message);
