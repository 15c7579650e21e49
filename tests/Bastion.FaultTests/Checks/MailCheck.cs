using Bastion.FaultTests.Cluster;
using Bastion.FaultTests.Load;

namespace Bastion.FaultTests.Checks;

/// <summary>Reset mails due (a 202 for a known account) against those the catcher received, per recipient.</summary>
internal sealed class MailCheck(MailCatcher catcher, Ledger ledger)
{
    private const string ResetSubject = "Reset your";
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(10);
    private IReadOnlyDictionary<string, int> _received = new Dictionary<string, int>();

    /// <summary>
    /// Waits until every due mail arrived, or nothing new arrived for <see cref="QuietPeriod"/> (the outbox retries
    /// a failed send after a few seconds), at most <see cref="SettleLimit"/>.
    /// </summary>
    public async Task SettleAsync(IEnumerable<string> recipients)
    {
        var all = recipients.ToList();
        var deadline = RunClock.Now + SettleLimit.TotalSeconds;
        var lastChange = RunClock.Now;
        var lastTotal = -1;
        while (true)
        {
            _received = await catcher.CountBySubjectAsync(ResetSubject);
            var total = _received.Values.Sum();
            lastChange = total != lastTotal ? RunClock.Now : lastChange;
            lastTotal = total;
            if (all.Sum(Lost) == 0 || RunClock.Now > deadline || RunClock.Now - lastChange > QuietPeriod.TotalSeconds)
            {
                return;
            }

            await Task.Delay(500);
        }
    }

    public int Due(IEnumerable<string> recipients) => recipients.Sum(ledger.MailsDueTo);

    /// <summary>Mails due to these recipients that never arrived (more than due is at-least-once, not a loss).</summary>
    public int Lost(IEnumerable<string> recipients) => recipients.Sum(Lost);

    private int Lost(string recipient) => Math.Max(0, ledger.MailsDueTo(recipient) - _received.GetValueOrDefault(recipient));
}
