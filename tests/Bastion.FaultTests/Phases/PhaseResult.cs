using Bastion.FaultTests.Checks;
using Bastion.FaultTests.Load;

namespace Bastion.FaultTests.Phases;

/// <summary>Everything measured in one phase; the audit and mail figures are filled in once the run has settled.</summary>
internal sealed class PhaseResult(int index, FaultPhase phase, PhaseStats stats)
{
    public int Index => index;

    public FaultPhase Phase => phase;

    public PhaseStats Stats => stats;

    public double Seconds { get; set; }

    public ProbeResult Probes { get; set; } = new(0, 0, 0);

    public RevocationResult Revocation { get; set; } = new(0, 0, 0, [], 0);

    /// <summary>From the broken part serving again to the last request that still failed; 0 when none did.</summary>
    public double RecoverySeconds { get; set; }

    public AuditResult Audit { get; set; } = new(0, 0, 0, 0, 0, 0);

    public int MailsDue { get; set; }

    public int MailsLost { get; set; }

    /// <summary>Resident memory of each node when the phase ended, MiB.</summary>
    public IReadOnlyList<double?> ResidentMebibytes { get; set; } = [];
}
