using System.Collections.Concurrent;

namespace Bastion.Redis.Tests.Infrastructure;

/// <summary>Collects the client's log lines so tests can assert on connection events.</summary>
internal sealed class LogCollector
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void Write(string line) => _lines.Enqueue(line);
}
