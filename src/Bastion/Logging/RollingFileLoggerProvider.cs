using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Logging;

/// <summary>File logging settings (<c>Bastion:Logging:File</c>); off unless <see cref="Path"/> is set.</summary>
public sealed class FileLogOptions
{
    /// <summary>The log file, e.g. <c>./data/logs/bastion.log</c>; rotated files get <c>.1</c> … <c>.N</c>.</summary>
    public string? Path { get; set; }

    /// <summary>Rotate when the file reaches this size (seed 003: 10 MB).</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How many rotated files are kept (seed 003: 5).</summary>
    public int MaxFiles { get; set; } = 5;

    public LogLevel MinimumLevel { get; set; } = LogLevel.Information;
}

/// <summary>
/// A small rotating file log, silent unless a path is configured (no logging package restores here): one line per entry with time, level, category,
/// event id, request id and message; writes are serialised by one lock, which is fine for a log of this size.
/// </summary>
[ProviderAlias("File")]
internal sealed class RollingFileLoggerProvider(IOptions<FileLogOptions> options) : ILoggerProvider, ISupportExternalScope
{
    private readonly FileLogOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, FileLogger> _loggers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    private FileStream? _stream;

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new FileLogger(this, name));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        lock (_lock)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }

    private void Write(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        lock (_lock)
        {
            _stream ??= Open();
            if (_stream.Length + bytes.Length > _options.MaxBytes)
            {
                Rotate();
            }

            _stream.Write(bytes);
            _stream.Flush();
        }
    }

    private FileStream Open()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_options.Path!))!);
        return new FileStream(_options.Path!, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    private void Rotate()
    {
        _stream!.Dispose();
        File.Delete($"{_options.Path}.{_options.MaxFiles}");
        for (var i = _options.MaxFiles - 1; i >= 1; i--)
        {
            if (File.Exists($"{_options.Path}.{i}"))
            {
                File.Move($"{_options.Path}.{i}", $"{_options.Path}.{i + 1}");
            }
        }

        File.Move(_options.Path!, $"{_options.Path}.1");
        _stream = Open();
    }

    private sealed class FileLogger(RollingFileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel)
            => provider._options.Path is not null && logLevel >= provider._options.MinimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string? requestId = null;
            provider._scopes.ForEachScope((scope, _) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object>> values)
                {
                    requestId ??= values.FirstOrDefault(v => v.Key == "RequestId").Value?.ToString();
                }
            }, (object?)null);

            var line = string.Create(CultureInfo.InvariantCulture,
                $"{DateTimeOffset.UtcNow:O} {logLevel} {category}[{eventId.Id}] {requestId ?? "-"} {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception.GetType().Name)}\n");
            provider.Write(line);
        }
    }
}
