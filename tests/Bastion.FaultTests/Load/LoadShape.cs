namespace Bastion.FaultTests.Load;

/// <summary>How many clients of each kind run at once, and how often each sends.</summary>
internal sealed record LoadShape(
    int SessionReaders,
    int BearerReaders,
    int RefreshChains,
    int SignIns,
    int Writers,
    int Probes,
    int RevokedPerPhase,
    int MailAccountsPerPhase,
    TimeSpan ReadPause,
    TimeSpan RefreshPause,
    TimeSpan SignInPause,
    TimeSpan WritePause,
    TimeSpan MailPause,
    TimeSpan AttachmentPause)
{
    /// <summary>
    /// Steady, modest load: the point is what happens to requests during a fault, not throughput; two cores are
    /// shared with the database, Redis, the catcher and the driver.
    /// </summary>
    public static LoadShape For(PhaseDurations durations)
    {
        // Mail: one request per MailPause during a phase, which also spends some seconds restarting nodes and checking.
        var mailPause = TimeSpan.FromMilliseconds(300);
        var phaseSeconds = (durations.Baseline + durations.Outage + durations.Recovery).TotalSeconds + 25;
        var mailAccounts = (int)Math.Ceiling(phaseSeconds / mailPause.TotalSeconds / Accounts.MailsPerAccount) + 1;
        return new LoadShape(
            SessionReaders: 4, BearerReaders: 4, RefreshChains: 8, SignIns: 1, Writers: 4, Probes: 6, RevokedPerPhase: 3,
            MailAccountsPerPhase: mailAccounts,
            ReadPause: TimeSpan.FromMilliseconds(40), RefreshPause: TimeSpan.FromMilliseconds(100),
            SignInPause: TimeSpan.FromMilliseconds(300), WritePause: TimeSpan.FromMilliseconds(80),
            MailPause: mailPause, AttachmentPause: TimeSpan.FromSeconds(1));
    }
}
