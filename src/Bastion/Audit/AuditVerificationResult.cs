namespace Bastion.Audit;

/// <summary>
/// The outcome of walking the chain. <see cref="HeadSeq"/> and <see cref="HeadHash"/> describe the last entry checked:
/// record them somewhere the database's administrators cannot write, since a chain alone cannot show that entries
/// were cut from its end, nor that someone rewrote it whole.
/// </summary>
public sealed record AuditVerificationResult(long EntriesChecked, long HeadSeq, string HeadHash, AuditChainBreak? FirstBreak)
{
    public bool IsIntact => FirstBreak is null;
}
