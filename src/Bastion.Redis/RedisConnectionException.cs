namespace Bastion.Redis;

/// <summary>
/// The command could not be completed because of the connection: Redis is unreachable, the connection
/// dropped while the command was in flight (it may or may not have run), the handshake failed, or the
/// server sent bytes that are not valid RESP.
/// </summary>
public sealed class RedisConnectionException : Exception
{
    /// <summary>Creates an exception without a message.</summary>
    public RedisConnectionException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public RedisConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the underlying cause.</summary>
    public RedisConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
