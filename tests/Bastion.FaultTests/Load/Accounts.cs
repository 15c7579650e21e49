using Bastion.FaultTests.Http;

namespace Bastion.FaultTests.Load;

/// <summary>
/// The accounts the run registers, one group per use, so that one workload cannot disturb another's figures (a
/// sign-in beyond MaxSessionsPerUser would end a probe's session; a probe must not share a mail quota).
/// </summary>
internal sealed class Accounts(LoadShape shape, int phaseCount)
{
    /// <summary>Forgot-password requests per account and phase: below the server's ResetEmailsPerHour of 20, so none is throttled.</summary>
    public const int MailsPerAccount = 18;

    public IReadOnlyList<string> SessionReaders { get; } = Names("session", shape.SessionReaders);

    public IReadOnlyList<string> BearerReaders { get; } = Names("bearer", shape.BearerReaders);

    public IReadOnlyList<string> RefreshChains { get; } = Names("chain", shape.RefreshChains);

    public IReadOnlyList<string> SignIns { get; } = Names("signin", shape.SignIns);

    public IReadOnlyList<string> SessionProbes { get; } = Names("probe-session", shape.Probes);

    public IReadOnlyList<string> BearerProbes { get; } = Names("probe-bearer", shape.Probes);

    public IReadOnlyList<string> Revoked { get; } = Names("revoked", 2);

    /// <summary>Each phase's own mail recipients, so that lost mail is counted per phase.</summary>
    public IReadOnlyList<IReadOnlyList<string>> MailRecipients { get; } =
        Enumerable.Range(0, phaseCount).Select(p => Names($"mail-p{p:00}", shape.MailAccountsPerPhase)).ToList();

    public IEnumerable<string> All => SessionReaders.Concat(BearerReaders).Concat(RefreshChains).Concat(SignIns)
        .Concat(SessionProbes).Concat(BearerProbes).Concat(Revoked).Concat(MailRecipients.SelectMany(m => m));

    public async Task RegisterAllAsync(Api api, CancellationToken cancellationToken)
        => await Parallel.ForEachAsync(All, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (email, token) => await api.RegisterAsync(email, token));

    private static List<string> Names(string group, int count)
        => Enumerable.Range(0, count).Select(i => $"{group}-{i}@faults.example").ToList();
}
