using Bastion.FaultTests.Load;

namespace Bastion.FaultTests.Http;

/// <summary>
/// What a client-side balancer does in front of two nodes: round-robin; a node that refused or dropped a
/// connection is left alone for a second, and the request goes to the other node at once (a failover, counted,
/// with the time from the failure to the answer). Every answer is counted in the phase the request started in.
/// </summary>
internal sealed class NodeBalancer(HttpClient http, IReadOnlyList<Uri> nodes)
{
    private static readonly TimeSpan DownFor = TimeSpan.FromSeconds(1);
    private readonly double[] _downUntil = new double[nodes.Count];
    private int _next;

    public int NodeCount => nodes.Count;

    /// <summary>Sends to the next node that is not marked down, failing over once to the other on a connection error.</summary>
    public Task<Answer> SendAsync(Func<Uri, HttpRequestMessage> request, PhaseStats? stats, CancellationToken cancellationToken)
        => SendAsync(request, stats, pinned: null, cancellationToken);

    /// <summary>Sends to one node only (no failover): for checks that must ask a particular node.</summary>
    public Task<Answer> SendToAsync(int node, Func<Uri, HttpRequestMessage> request, PhaseStats? stats, CancellationToken cancellationToken)
        => SendAsync(request, stats, node, cancellationToken);

    private async Task<Answer> SendAsync(Func<Uri, HttpRequestMessage> request, PhaseStats? stats, int? pinned, CancellationToken cancellationToken)
    {
        var started = RunClock.Now;
        var node = pinned ?? Choose();
        double? failedAt = null;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var message = request(nodes[node]);
                using var response = await http.SendAsync(message, cancellationToken);
                var answer = await Answer.ReadAsync(response, cancellationToken);
                stats?.Record(answer, started, failedAt is { } failed ? RunClock.Now - failed : null);
                return answer;
            }
            catch (Exception e) when (e is HttpRequestException or IOException
                || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                stats?.RecordConnectionError();
                _downUntil[node] = RunClock.Now + DownFor.TotalSeconds;
                if (pinned is not null || attempt == 1)
                {
                    stats?.Record(Answer.Unanswered, started, null);
                    return Answer.Unanswered;
                }

                failedAt ??= RunClock.Now;
                node = (node + 1) % nodes.Count;
            }
        }
    }

    private int Choose()
    {
        var now = RunClock.Now;
        for (var i = 0; i < nodes.Count; i++)
        {
            var candidate = (int)((uint)Interlocked.Increment(ref _next) % (uint)nodes.Count);
            if (_downUntil[candidate] <= now)
            {
                return candidate;
            }
        }

        return (int)((uint)Interlocked.Increment(ref _next) % (uint)nodes.Count);
    }
}
