using Bastion.FaultTests.Http;

namespace Bastion.FaultTests.Load.Workers;

/// <summary>
/// A signed-in client reading <c>/api/auth/me</c>: a browser with its session cookie or an API client with its
/// access token. When refused (401) it counts <paramref name="signedInAgain"/> and signs in again.
/// </summary>
internal sealed class IdentityReader(
    Api api, LoadBoard board, Func<PhaseStats, CancellationToken, Task<Credential?>> signIn, LoadEvent signedInAgain, TimeSpan pause) : IWorker
{
    public static IdentityReader WithCookie(Api api, LoadBoard board, string email, TimeSpan pause)
        => new(api, board, async (stats, ct) => await api.SignInForCookieAsync(email, stats, ct), LoadEvent.SessionSignedInAgain, pause);

    public static IdentityReader WithBearer(Api api, LoadBoard board, string email, TimeSpan pause)
        => new(api, board, async (stats, ct) => (await api.SignInForTokensAsync(email, stats, ct))?.Bearer, LoadEvent.BearerSignedInAgain, pause);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Credential? credential = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var stats = board.Current;
            credential ??= await signIn(stats, cancellationToken);
            if (credential is not null
                && (await api.Balancer.SendAsync(Requests.Get("/api/auth/me", credential), stats, cancellationToken)).Status == 401)
            {
                stats.Add(signedInAgain);
                credential = null;
            }

            await Task.Delay(pause, cancellationToken);
        }
    }
}
