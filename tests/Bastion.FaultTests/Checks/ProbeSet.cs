using Bastion.FaultTests.Http;

namespace Bastion.FaultTests.Checks;

/// <summary>
/// Session cookies and access tokens that no workload touches: each must work before a fault, and is asked of both
/// nodes after recovery. One that answers 401 afterwards stopped working because of the fault.
/// </summary>
internal sealed class ProbeSet(Api api, IReadOnlyList<string> sessionAccounts, IReadOnlyList<string> bearerAccounts)
{
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(20);
    private readonly Dictionary<string, Credential> _credentials = new(StringComparer.Ordinal);

    /// <summary>Makes every probe work now, signing in again where an earlier fault ended one.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        foreach (var email in sessionAccounts)
        {
            if (!_credentials.TryGetValue(email, out var credential) || await StatusAsync(0, credential, cancellationToken) != 200)
            {
                _credentials[email] = await Api.SignInUntilAsync(() => api.SignInForCookieAsync(email, null, cancellationToken), email, cancellationToken);
            }
        }

        foreach (var email in bearerAccounts)
        {
            if (!_credentials.TryGetValue(email, out var credential) || await StatusAsync(0, credential, cancellationToken) != 200)
            {
                var pair = await Api.SignInUntilAsync(() => api.SignInForTokensAsync(email, null, cancellationToken), email, cancellationToken);
                _credentials[email] = pair.Bearer;
            }
        }
    }

    /// <summary>How many sessions and bearer tokens either node now refuses, and how many checks got no answer.</summary>
    public async Task<ProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        int sessionsLost = 0, bearersLost = 0, unanswered = 0;
        foreach (var credential in _credentials.Values)
        {
            var statuses = new List<int>();
            for (var node = 0; node < api.Balancer.NodeCount; node++)
            {
                statuses.Add(await StatusAsync(node, credential, cancellationToken));
            }

            unanswered += statuses.Count(s => s is 0 or >= 500);
            if (statuses.Contains(401))
            {
                sessionsLost += credential is Credential.Cookie ? 1 : 0;
                bearersLost += credential is Credential.Bearer ? 1 : 0;
            }
        }

        return new ProbeResult(sessionsLost, bearersLost, unanswered);
    }

    private async Task<int> StatusAsync(int node, Credential credential, CancellationToken cancellationToken)
        => (await Api.UntilAnsweredAsync(() => api.Balancer.SendToAsync(node, Requests.Get("/api/auth/me", credential), null, cancellationToken), AnswerLimit, cancellationToken)).Status;
}

internal sealed record ProbeResult(int SessionsLost, int BearersLost, int Unanswered);
