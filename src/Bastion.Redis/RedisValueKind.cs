using System.Diagnostics.CodeAnalysis;

namespace Bastion.Redis;

/// <summary>The RESP2 reply type a <see cref="RedisValue"/> was read from.</summary>
public enum RedisValueKind
{
    /// <summary>A null bulk string (<c>$-1</c>) or null array (<c>*-1</c>); RESP2 has no separate null type.</summary>
    Null = 0,

    /// <summary>A simple string (<c>+OK</c>).</summary>
    SimpleString,

    /// <summary>An error reply (<c>-ERR ...</c>) nested inside an array, for example in a script's result.</summary>
    Error,

    /// <summary>An integer reply (<c>:42</c>).</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The RESP specification's name for the type.")]
    Integer,

    /// <summary>A binary-safe bulk string (<c>$3\r\nfoo</c>).</summary>
    BulkString,

    /// <summary>An array of replies (<c>*2\r\n...</c>).</summary>
    Array,
}
