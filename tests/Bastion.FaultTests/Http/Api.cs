using Bastion.FaultTests.Load;

namespace Bastion.FaultTests.Http;

/// <summary>The calls the workloads and checks share: registration, both kinds of sign-in, who-am-I.</summary>
internal sealed class Api(NodeBalancer balancer)
{
    public NodeBalancer Balancer => balancer;

    /// <summary>
    /// Sends until a node answers with something other than a 5xx, within <paramref name="limit"/>; for set-up and
    /// checks, which must get a real answer through a fault's tail. The last answer when the limit passes.
    /// </summary>
    public static async Task<Answer> UntilAnsweredAsync(Func<Task<Answer>> send, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = RunClock.Now + limit.TotalSeconds;
        while (true)
        {
            var answer = await send();
            if (!answer.Failed || RunClock.Now > deadline)
            {
                return answer;
            }

            await Task.Delay(answer.RetryDelay, cancellationToken);
        }
    }

    public async Task RegisterAsync(string email, CancellationToken cancellationToken)
    {
        var answer = await UntilAnsweredAsync(
            () => balancer.SendAsync(Requests.Post("/api/auth/register", new { email, password = NodeSettingsPassword, fullName = "Fault Load" }), null, cancellationToken),
            TimeSpan.FromSeconds(30), cancellationToken);
        if (answer.Status != 201)
        {
            throw new InvalidOperationException($"Registering {email} answered {answer.Status} {answer.Code}: {answer.Body}");
        }
    }

    public async Task<TokenPair?> SignInForTokensAsync(string email, PhaseStats? stats, CancellationToken cancellationToken)
        => TokenPair.From(await balancer.SendAsync(Requests.Post("/api/auth/login", new { email, password = NodeSettingsPassword }), stats, cancellationToken));

    public async Task<Credential.Cookie?> SignInForCookieAsync(string email, PhaseStats? stats, CancellationToken cancellationToken)
    {
        var answer = await balancer.SendAsync(Requests.Post("/api/auth/login", new { email, password = NodeSettingsPassword, useCookie = true }), stats, cancellationToken);
        var prefix = Requests.SessionCookie + "=";
        return answer.Succeeded && answer.SetCookies.FirstOrDefault(c => c.StartsWith(prefix, StringComparison.Ordinal)) is { } cookie
            ? new Credential.Cookie(cookie.Split(';')[0][prefix.Length..])
            : null;
    }

    /// <summary>Signs in until it works, within a limit (set-up, and checks after a fault).</summary>
    public static async Task<T> SignInUntilAsync<T>(Func<Task<T?>> signIn, string email, CancellationToken cancellationToken)
        where T : class
    {
        var deadline = RunClock.Now + 30;
        while (true)
        {
            if (await signIn() is { } result)
            {
                return result;
            }

            if (RunClock.Now > deadline)
            {
                throw new InvalidOperationException($"Signing in as {email} did not succeed within 30 s.");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static string NodeSettingsPassword => Cluster.NodeSettings.Password;
}
