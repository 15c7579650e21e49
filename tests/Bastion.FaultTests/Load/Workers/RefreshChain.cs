using Bastion.FaultTests.Http;

namespace Bastion.FaultTests.Load.Workers;

/// <summary>
/// An API client that keeps its sign-in alive by refreshing: each refresh spends its token and the next uses the
/// token it got. This client never presents a token it saw answered, so every <c>refresh_reused</c> it receives is
/// a false breach alert (and a signed-out user). A 409 <c>refresh_conflict</c> ("use the tokens that request
/// received") leaves a client that never saw those tokens nothing to use but its own, so it tries that again too.
/// </summary>
internal sealed class RefreshChain(Api api, LoadBoard board, string email, TimeSpan pause) : IWorker
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        TokenPair? tokens = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var stats = board.Current;
            tokens ??= await api.SignInForTokensAsync(email, stats, cancellationToken);
            if (tokens is not null)
            {
                var token = tokens.RefreshToken;
                var answer = await Retrying.SendAsync(
                    () => api.Balancer.SendAsync(Requests.Post("/api/auth/refresh", new Dictionary<string, string> { ["refresh_token"] = token }), stats, cancellationToken),
                    refused =>
                    {
                        stats.Add(LoadEvent.RefreshRetry);
                        if (refused.Code == "refresh_conflict")
                        {
                            stats.Add(LoadEvent.RefreshConflict);
                        }
                    },
                    cancellationToken,
                    alsoRetry: a => a.Code == "refresh_conflict");
                tokens = TokenPair.From(answer);
                if (tokens is null)
                {
                    stats.Add(answer.Code == "refresh_reused" ? LoadEvent.FalseRefreshReuse : LoadEvent.RefreshChainEnded);
                }
            }

            await Task.Delay(pause, cancellationToken);
        }
    }
}
