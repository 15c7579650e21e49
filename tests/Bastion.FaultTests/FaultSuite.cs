using Bastion.FaultTests.Checks;
using Bastion.FaultTests.Cluster;
using Bastion.FaultTests.Http;
using Bastion.FaultTests.Load;
using Bastion.FaultTests.Phases;
using Bastion.FaultTests.Report;

namespace Bastion.FaultTests;

/// <summary>
/// The run: two nodes under steady mixed load go through every fault in <see cref="PhaseCatalog"/>; afterwards,
/// with the load stopped and queues drained, the database and the mail catcher are compared with what clients
/// were told.
/// </summary>
internal sealed class FaultSuite(TestCluster cluster, RunOptions options)
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public async Task<RunSummary> RunAsync(CancellationToken cancellationToken)
    {
        var started = RunClock.Now;
        var phases = PhaseCatalog.All;
        var durations = options.Durations;
        var shape = LoadShape.For(durations);
        var api = new Api(new NodeBalancer(cluster.Http, cluster.Nodes.Select(n => n.Address).ToList()));
        var (board, ledger, accounts) = (new LoadBoard(), new Ledger(), new Accounts(shape, phases.Count));

        FaultContext.Say($"registering {accounts.All.Count()} accounts");
        await accounts.RegisterAllAsync(api, cancellationToken);
        using var admin = new AdminSession(api);
        await admin.SignInAsync(cancellationToken);
        var attachmentTarget = await CreateAttachmentTargetAsync(api, admin, cancellationToken);
        var probes = new ProbeSet(api, accounts.SessionProbes, accounts.BearerProbes);
        var revoked = new RevokedTokens(api, accounts.Revoked);

        using var load = LoadGenerator.Create(api, board, accounts, shape, admin, ledger, attachmentTarget);
        load.Start();
        var results = new List<PhaseResult>();
        double? memoryAtStart, memoryAtEnd;
        try
        {
            FaultContext.Say($"load running; {WarmUp.TotalSeconds:0} s of warm-up");
            await Task.Delay(WarmUp, cancellationToken);
            memoryAtStart = cluster.Survivor.ResidentMebibytes();
            var runner = new PhaseRunner(cluster, board, probes, revoked, shape, durations);
            for (var i = 0; i < phases.Count; i++)
            {
                results.Add(await runner.RunAsync(i, phases[i], cancellationToken));
            }

            memoryAtEnd = cluster.Survivor.ResidentMebibytes();
        }
        finally
        {
            await load.StopAsync();
        }

        await CheckWhatWasKeptAsync(results, accounts, ledger);
        return new RunSummary(options.Short ? "short" : "long", results, memoryAtStart, memoryAtEnd, RunClock.Now - started);
    }

    private async Task CheckWhatWasKeptAsync(List<PhaseResult> results, Accounts accounts, Ledger ledger)
    {
        FaultContext.Say("load stopped; comparing the database and the mail catcher with what clients were told");
        await Task.Delay(Settle);
        var audit = new AuditCheck(cluster.Postgres.ConnectionString);
        var mail = new MailCheck(cluster.Mail, ledger);
        await mail.SettleAsync(accounts.MailRecipients.SelectMany(r => r));
        foreach (var result in results)
        {
            result.Audit = await audit.CheckAsync(result.Index, ledger.CreatedIn(result.Index));
            result.MailsDue = mail.Due(accounts.MailRecipients[result.Index]);
            result.MailsLost = mail.Lost(accounts.MailRecipients[result.Index]);
        }
    }

    private static async Task<Guid> CreateAttachmentTargetAsync(Api api, AdminSession admin, CancellationToken cancellationToken)
    {
        var body = new { name = "attachment target", serialNumber = "SN-ATTACHMENTS", cost = 1m };
        var answer = await Api.UntilAnsweredAsync(
            () => api.Balancer.SendAsync(Requests.Post("/api/equipment", body, admin.Bearer), null, cancellationToken), TimeSpan.FromSeconds(20), cancellationToken);
        return answer.Status == 201 && answer.Json?["id"]?.GetValue<Guid>() is { } id
            ? id
            : throw new InvalidOperationException($"Creating the attachment target answered {answer.Status} {answer.Code}: {answer.Body}");
    }
}
