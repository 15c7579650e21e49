using System.Collections.Frozen;

namespace Bastion.Redis.Connections;

/// <summary>
/// Commands that would corrupt a connection shared by every caller: they change state for all of them
/// (SELECT, AUTH, HELLO, RESET), break the one-reply-per-command pairing (SUBSCRIBE, MONITOR, CLIENT REPLY),
/// pull other callers' commands into a transaction (MULTI/EXEC/WATCH), or stall everyone behind them
/// (blocking pops, WAIT). Use the typed API (SubscribeAsync, options) or a script instead.
/// </summary>
internal static class SharedConnectionGuard
{
    private static readonly FrozenSet<string> Rejected = FrozenSet.ToFrozenSet(
        [
            "AUTH", "HELLO", "SELECT", "RESET", "QUIT", "MONITOR", "SYNC", "PSYNC",
            "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE",
            "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH",
            "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT", "WAITAOF",
        ],
        StringComparer.OrdinalIgnoreCase);

    /// <exception cref="ArgumentException">The command must not run on a shared connection.</exception>
    public static void ThrowIfRejected(string command, ReadOnlySpan<RedisArgument> arguments)
    {
        if (Rejected.Contains(command) || IsClientReply(command, arguments))
        {
            throw new ArgumentException(
                $"{command.ToUpperInvariant()} cannot be sent on the shared multiplexed connection: it would affect or stall every other caller's commands.",
                nameof(command));
        }
    }

    private static bool IsClientReply(string command, ReadOnlySpan<RedisArgument> arguments) =>
        command.Equals("CLIENT", StringComparison.OrdinalIgnoreCase)
        && arguments.Length > 0
        && arguments[0].Kind == RedisArgumentKind.Text
        && arguments[0].Text.Equals("REPLY", StringComparison.OrdinalIgnoreCase);
}
