namespace Bastion.Redis;

/// <summary>
/// Redis answered a command with an error reply (<c>-ERR ...</c>, <c>-WRONGTYPE ...</c>, <c>-NOSCRIPT ...</c>).
/// The connection is healthy; only this command failed.
/// </summary>
public sealed class RedisServerException : Exception
{
    /// <summary>Creates an exception without a server message.</summary>
    public RedisServerException()
    {
    }

    /// <summary>Creates an exception carrying the server's error text.</summary>
    public RedisServerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception carrying the server's error text and a cause.</summary>
    public RedisServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The error prefix Redis uses to classify the error (<c>ERR</c>, <c>WRONGTYPE</c>, <c>NOAUTH</c>, ...),
    /// the first word of the message by convention of the RESP specification.
    /// </summary>
    public string ErrorCode
    {
        get
        {
            int space = Message.IndexOf(' ', StringComparison.Ordinal);
            return space < 0 ? Message : Message[..space];
        }
    }
}
