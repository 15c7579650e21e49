using Bastion.FaultTests.Http;

namespace Bastion.FaultTests.Load;

/// <summary>Counters of one phase, shared by every workload; thread-safe.</summary>
internal sealed class PhaseStats(string name)
{
    private readonly Lock _gate = new();
    private readonly int[] _events = new int[Enum.GetValues<LoadEvent>().Length];
    private readonly SortedDictionary<string, int> _serverErrors = new(StringComparer.Ordinal);

    public string Name => name;

    public long Requests { get; private set; }

    public long Succeeded { get; private set; }

    public long Unanswered { get; private set; }

    public long ConnectionErrors { get; private set; }

    public long Failovers { get; private set; }

    public int InternalErrors { get; private set; }

    public int UnavailableWithoutRetryAfter { get; private set; }

    /// <summary>The longest time from a connection error to the other node's answer.</summary>
    public double MaxFailoverSeconds { get; private set; }

    /// <summary>The slowest answer (or give-up) from sending to the end, failover included.</summary>
    public double MaxLatencySeconds { get; private set; }

    /// <summary>When the last request that failed (5xx or no answer) was sent, on <see cref="RunClock"/>.</summary>
    public double? LastFailureSentAt { get; private set; }

    public IReadOnlyDictionary<string, int> ServerErrors
    {
        get
        {
            lock (_gate)
            {
                return new SortedDictionary<string, int>(_serverErrors, StringComparer.Ordinal);
            }
        }
    }

    public int Count(LoadEvent e) => Volatile.Read(ref _events[(int)e]);

    public void Add(LoadEvent e) => Interlocked.Increment(ref _events[(int)e]);

    public void RecordConnectionError()
    {
        lock (_gate)
        {
            ConnectionErrors++;
        }
    }

    public void Record(Answer answer, double sentAt, double? failoverSeconds)
    {
        lock (_gate)
        {
            Requests++;
            MaxLatencySeconds = Math.Max(MaxLatencySeconds, RunClock.Now - sentAt);
            Succeeded += answer.Succeeded ? 1 : 0;
            Unanswered += answer.Answered ? 0 : 1;
            if (failoverSeconds is { } failover)
            {
                Failovers++;
                MaxFailoverSeconds = Math.Max(MaxFailoverSeconds, failover);
            }

            if (answer.Status >= 500)
            {
                var key = $"{answer.Status} {answer.Code ?? "-"}";
                _serverErrors[key] = _serverErrors.GetValueOrDefault(key) + 1;
                InternalErrors += answer.Status == 500 ? 1 : 0;
                UnavailableWithoutRetryAfter += answer.Status == 503 && !answer.HasRetryAfter ? 1 : 0;
            }

            if (answer.Failed)
            {
                LastFailureSentAt = Math.Max(LastFailureSentAt ?? sentAt, sentAt);
            }
        }
    }
}
