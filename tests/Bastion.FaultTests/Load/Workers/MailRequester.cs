using Bastion.FaultTests.Http;

namespace Bastion.FaultTests.Load.Workers;

/// <summary>
/// "Forgot password" for known accounts, each phase to its own recipients and never beyond their hourly quota:
/// every 202 is a mail that must reach the catcher.
/// </summary>
internal sealed class MailRequester(Api api, LoadBoard board, Accounts accounts, Ledger ledger, TimeSpan pause) : IWorker
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var sent = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var next = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var (phase, stats) = (board.Phase, board.Current);
            var recipients = accounts.MailRecipients[Math.Min(phase, accounts.MailRecipients.Count - 1)];
            var email = recipients[next++ % recipients.Count];
            if (sent.GetValueOrDefault(email) < Accounts.MailsPerAccount)
            {
                sent[email] = sent.GetValueOrDefault(email) + 1;
                var answer = await api.Balancer.SendAsync(Requests.Post("/api/auth/password/forgot", new { email }), stats, cancellationToken);
                if (answer.Status == 202)
                {
                    ledger.MailDue(email);
                    stats.Add(LoadEvent.MailRequested);
                }
            }

            await Task.Delay(pause, cancellationToken);
        }
    }
}
