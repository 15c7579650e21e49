using Bastion.FaultTests.Http;

namespace Bastion.FaultTests.Checks;

/// <summary>
/// Access tokens logged out before a fault (<c>POST /api/auth/logout</c> with the bearer: the token and its family
/// revoked). After every fault each must still be refused by both nodes, however the state store fared; every
/// check asks about every token revoked so far.
/// </summary>
internal sealed class RevokedTokens(Api api, IReadOnlyList<string> accounts)
{
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(20);
    private readonly List<Credential.Bearer> _revoked = [];
    private readonly HashSet<Credential.Bearer> _acceptedBefore = [];

    public async Task RevokeAsync(int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            var email = accounts[i % accounts.Count];
            var pair = await Api.SignInUntilAsync(() => api.SignInForTokensAsync(email, null, cancellationToken), email, cancellationToken);
            var logout = await Api.UntilAnsweredAsync(
                () => api.Balancer.SendAsync(Requests.Post("/api/auth/logout", new Dictionary<string, string> { ["refresh_token"] = pair.RefreshToken }, pair.Bearer), null, cancellationToken),
                AnswerLimit, cancellationToken);
            if (logout.Status != 204)
            {
                throw new InvalidOperationException($"Logging out answered {logout.Status} {logout.Code}.");
            }

            _revoked.Add(pair.Bearer);
        }
    }

    /// <summary>Asks both nodes about every revoked token; "newly" counts those no node accepted at the previous check.</summary>
    public async Task<RevocationResult> CheckAsync(CancellationToken cancellationToken)
    {
        var acceptedBy = new int[api.Balancer.NodeCount];
        int accepted = 0, newly = 0, unanswered = 0;
        foreach (var token in _revoked)
        {
            var statuses = new List<int>();
            for (var node = 0; node < acceptedBy.Length; node++)
            {
                var status = (await Api.UntilAnsweredAsync(
                    () => api.Balancer.SendToAsync(node, Requests.Get("/api/auth/me", token), null, cancellationToken), AnswerLimit, cancellationToken)).Status;
                acceptedBy[node] += status == 200 ? 1 : 0;
                statuses.Add(status);
            }

            unanswered += statuses.Count(s => s is 0 or >= 500);
            if (statuses.Contains(200))
            {
                accepted++;
                newly += _acceptedBefore.Add(token) ? 1 : 0;
            }
            else
            {
                _acceptedBefore.Remove(token);
            }
        }

        return new RevocationResult(_revoked.Count, accepted, newly, acceptedBy, unanswered);
    }
}

/// <param name="Checked">Tokens revoked so far, each asked of every node.</param>
/// <param name="Accepted">Tokens some node accepted (200).</param>
/// <param name="NewlyAccepted">Of those, the ones no node accepted at the previous check: this phase's doing.</param>
/// <param name="AcceptedBy">Tokens each node accepted.</param>
/// <param name="Unanswered">Checks that got no answer but a 5xx or nothing within the limit.</param>
internal sealed record RevocationResult(int Checked, int Accepted, int NewlyAccepted, IReadOnlyList<int> AcceptedBy, int Unanswered);
