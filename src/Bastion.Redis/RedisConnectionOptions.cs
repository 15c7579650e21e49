using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Bastion.Redis;

/// <summary>
/// Where and how to connect. Usually parsed from a StackExchange.Redis style configuration string:
/// <c>host:port[,user=name][,password=secret][,connectTimeout=ms][,syncTimeout=ms][,defaultDatabase=n][,connectionCount=n]</c>.
/// </summary>
public sealed class RedisConnectionOptions
{
    /// <summary>The port Redis listens on unless told otherwise.</summary>
    public const int DefaultPort = 6379;

    /// <summary>The most connections one client opens; more only adds contention on the Redis event loop.</summary>
    public const int MaxConnectionCount = 16;

    private static readonly TimeSpan MinUnresponsiveTimeout = TimeSpan.FromSeconds(10);

    private string _host = "localhost";
    private int _port = DefaultPort;
    private TimeSpan _connectTimeout = TimeSpan.FromSeconds(5);
    private TimeSpan _syncTimeout = TimeSpan.FromSeconds(5);
    private int _defaultDatabase;
    private int _connectionCount = 1;
    private TimeSpan? _unresponsiveTimeout;

    /// <summary>Host name or IP address of the Redis server.</summary>
    public string Host
    {
        get => _host;
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            _host = value;
        }
    }

    /// <summary>TCP port of the Redis server.</summary>
    public int Port
    {
        get => _port;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 65535);
            _port = value;
        }
    }

    /// <summary>ACL user name (Redis 6+); null authenticates as the default user.</summary>
    public string? User { get; set; }

    /// <summary>Password sent with AUTH on every connect; null sends no AUTH. Never shown by <see cref="ToString"/>.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// How long one connection attempt (TCP connect plus handshake) may take, and how long a command issued
    /// while disconnected waits for the reconnection before failing. Default 5 s.
    /// </summary>
    public TimeSpan ConnectTimeout
    {
        get => _connectTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _connectTimeout = value;
        }
    }

    /// <summary>How long a command waits for its reply before failing with <see cref="TimeoutException"/>. Default 5 s.</summary>
    public TimeSpan SyncTimeout
    {
        get => _syncTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _syncTimeout = value;
        }
    }

    /// <summary>Database selected with SELECT on every connect. Default 0.</summary>
    public int DefaultDatabase
    {
        get => _defaultDatabase;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _defaultDatabase = value;
        }
    }

    /// <summary>Number of multiplexed connections for commands (pub/sub always has its own). Default 1.</summary>
    public int ConnectionCount
    {
        get => _connectionCount;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxConnectionCount);
            _connectionCount = value;
        }
    }

    /// <summary>
    /// Receives one line per connection event (connected, lost, reconnect failed, subscriber handler failed).
    /// Lines never contain the password. Null, the default, discards them.
    /// </summary>
    public Action<string>? Log { get; set; }

    /// <summary>
    /// A connection whose oldest command has had no reply for this long is treated as dead and recycled, so a
    /// half-open TCP connection (server host gone without a reset) does not swallow every later command.
    /// Defaults to three sync timeouts, at least 10 s, so a merely slow command does not drop the connection.
    /// </summary>
    internal TimeSpan UnresponsiveTimeout
    {
        get => _unresponsiveTimeout ?? TimeSpan.FromTicks(Math.Max(_syncTimeout.Ticks * 3, MinUnresponsiveTimeout.Ticks));
        set => _unresponsiveTimeout = value;
    }

    /// <summary>Passes a line to <see cref="Log"/>; a failing log sink must not break reconnection or delivery.</summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "Logging is best effort; the callers are background loops that must keep running.")]
    internal void WriteLog(string message)
    {
        try
        {
            Log?.Invoke(message);
        }
        catch (Exception)
        {
            // Deliberately ignored: see the justification above.
        }
    }

    private static bool IsKnownOption(string part)
    {
        var equals = part.IndexOf('=', StringComparison.Ordinal);
        var key = equals < 0 ? string.Empty : part[..equals].Trim();
        return key.ToLowerInvariant() is "user" or "password" or "connecttimeout" or "synctimeout" or "defaultdatabase" or "connectioncount";
    }

    internal string EndPointDisplay => _host.Contains(':', StringComparison.Ordinal) ? $"[{_host}]:{_port}" : $"{_host}:{_port}";

    /// <summary>Parses a configuration string such as <c>redis.internal:6379,password=...,syncTimeout=2000</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is null, empty or whitespace.</exception>
    /// <exception cref="FormatException">The string is malformed; the message names the offending part (never the password).</exception>
    public static RedisConnectionOptions Parse(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var options = new RedisConnectionOptions();
        bool endPointSeen = false;

        bool passwordSeen = false;
        foreach (string rawPart in configuration.Split(','))
        {
            string part = rawPart.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            // A password containing ',' is split here; what follows it may be the rest of the secret, so a part
            // after the password is never quoted back in an error.
            if (passwordSeen && !IsKnownOption(part))
            {
                throw new FormatException("The Redis configuration has an unreadable part after the password; passwords may not contain ','.");
            }

            passwordSeen |= part.StartsWith("password=", StringComparison.OrdinalIgnoreCase);

            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                if (endPointSeen)
                {
                    throw new FormatException($"Only one endpoint is supported, but '{part}' is a second one.");
                }

                (options.Host, options.Port) = ParseEndPoint(part);
                endPointSeen = true;
                continue;
            }

            ApplyOption(options, part[..equals].Trim(), part[(equals + 1)..].Trim());
        }

        if (!endPointSeen)
        {
            throw new FormatException("The Redis configuration has no endpoint; expected 'host:port' as its first part.");
        }

        return options;
    }

    /// <summary>The configuration string for these options, with the password masked.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(EndPointDisplay);
        if (User is not null)
        {
            text.Append(",user=").Append(User);
        }

        if (Password is not null)
        {
            text.Append(",password=*****");
        }

        text.Append(CultureInfo.InvariantCulture, $",connectTimeout={(long)ConnectTimeout.TotalMilliseconds}");
        text.Append(CultureInfo.InvariantCulture, $",syncTimeout={(long)SyncTimeout.TotalMilliseconds}");
        text.Append(CultureInfo.InvariantCulture, $",defaultDatabase={DefaultDatabase}");
        text.Append(CultureInfo.InvariantCulture, $",connectionCount={ConnectionCount}");
        return text.ToString();
    }

    private static void ApplyOption(RedisConnectionOptions options, string key, string value)
    {
        switch (key.ToUpperInvariant())
        {
            case "PASSWORD":
                // Never echo the value: a typo here must not put the secret into a startup error or a log.
                options.Password = value.Length > 0 ? value : throw new FormatException("The 'password' option is empty.");
                break;
            case "USER":
                options.User = value.Length > 0 ? value : throw new FormatException("The 'user' option is empty.");
                break;
            case "CONNECTTIMEOUT":
                options.ConnectTimeout = TimeSpan.FromMilliseconds(ParseInteger(key, value, min: 1, max: int.MaxValue));
                break;
            case "SYNCTIMEOUT":
                options.SyncTimeout = TimeSpan.FromMilliseconds(ParseInteger(key, value, min: 1, max: int.MaxValue));
                break;
            case "DEFAULTDATABASE":
                options.DefaultDatabase = ParseInteger(key, value, min: 0, max: int.MaxValue);
                break;
            case "CONNECTIONCOUNT":
                options.ConnectionCount = ParseInteger(key, value, min: 1, max: MaxConnectionCount);
                break;
            default:
                // Only the key is named: an unknown key may be a misspelt 'password' carrying the secret.
                throw new FormatException(
                    $"Unknown Redis configuration option '{key}'. Supported: user, password, connectTimeout, syncTimeout, defaultDatabase, connectionCount.");
        }
    }

    private static int ParseInteger(string key, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int result) || result < min || result > max)
        {
            throw new FormatException($"The Redis configuration option '{key}' must be an integer from {min} to {max}.");
        }

        return result;
    }

    private static (string Host, int Port) ParseEndPoint(string text)
    {
        string host;
        string? port;
        if (text.StartsWith('['))
        {
            // IPv6 literal, bracketed as in RFC 3986 section 3.2.2 so that its colons are not read as the port separator.
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                throw new FormatException($"The Redis endpoint '{text}' is not a valid '[ipv6]:port' address.");
            }

            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0 && text.IndexOf(':', colon + 1) >= 0)
            {
                throw new FormatException($"The Redis endpoint '{text}' looks like an IPv6 address; write it as '[address]:port'.");
            }

            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            throw new FormatException($"The Redis endpoint '{text}' has no host.");
        }

        if (port is null)
        {
            return (host, DefaultPort);
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int portNumber) || portNumber is < 1 or > 65535)
        {
            throw new FormatException($"The Redis endpoint '{text}' has an invalid port; expected a number from 1 to 65535.");
        }

        return (host, portNumber);
    }
}
