using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bastion.Tests.Email;

/// <summary>Keeps every log entry, formatted, for assertions on what was (and was not) logged.</summary>
public sealed class CollectingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => _entries.Enqueue(new LogEntry(logLevel, eventId.Name ?? string.Empty, formatter(state, exception), exception));
}

public sealed record LogEntry(LogLevel Level, string EventName, string Message, Exception? Exception);
