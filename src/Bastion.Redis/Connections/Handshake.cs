using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Bastion.Redis.Protocol;

namespace Bastion.Redis.Connections;

/// <summary>
/// The commands every new connection runs before it is handed to callers: AUTH (so a restarted server, or a
/// rotated connection, is authenticated again), SELECT for the default database, PING to surface NOAUTH at
/// connect time rather than on the first real command, then SUBSCRIBE for each channel on the pub/sub
/// connection. They are pipelined, costing a single round trip.
/// </summary>
internal static class Handshake
{
    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "Every pipelined reply is awaited so none is left unobserved; the first failure is rethrown.")]
    public static async Task RunAsync(PhysicalConnection connection, RedisConnectionOptions options, IReadOnlyCollection<string> channels)
    {
        var replies = new List<Task<RedisValue>>(3 + channels.Count);
        if (options.Password is not null)
        {
            replies.Add(Auth(connection, options.User, options.Password).AsTask());
        }

        if (options.DefaultDatabase != 0)
        {
            replies.Add(Send(connection, "SELECT", options.DefaultDatabase).AsTask());
        }

        replies.Add(Send(connection, "PING").AsTask());
        foreach (string channel in channels)
        {
            // One channel per SUBSCRIBE: each confirmation then pairs with exactly one queued command.
            replies.Add(Send(connection, "SUBSCRIBE", channel).AsTask());
        }

        Exception? firstFailure = null;
        foreach (Task<RedisValue> reply in replies)
        {
            try
            {
                await reply.ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                firstFailure ??= exception;
            }
        }

        if (firstFailure is not null)
        {
            ExceptionDispatchInfo.Throw(firstFailure);
        }
    }

    private static ValueTask<RedisValue> Auth(PhysicalConnection connection, string? user, string password)
    {
        // AUTH [username] password (Redis 6 ACL form when a user is given).
        var writer = new RespCommandWriter(64);
        try
        {
            writer.WriteArrayHeader(user is null ? 2 : 3);
            writer.WriteBulkString("AUTH"u8);
            if (user is not null)
            {
                writer.WriteBulkString(user);
            }

            writer.WriteBulkString(password);
            return connection.SendAsync("AUTH", writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static ValueTask<RedisValue> Send(PhysicalConnection connection, string command, params ReadOnlySpan<RedisArgument> arguments)
    {
        var writer = new RespCommandWriter(64);
        try
        {
            writer.WriteArrayHeader(1 + arguments.Length);
            writer.WriteBulkString(command);
            foreach (ref readonly RedisArgument argument in arguments)
            {
                writer.WriteArgument(argument);
            }

            return connection.SendAsync(command, writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }
}
