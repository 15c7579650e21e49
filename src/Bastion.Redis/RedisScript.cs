using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Bastion.Redis;

/// <summary>
/// A Lua script run with EVALSHA. The SHA1 digest is computed once, locally, so the first call can already
/// use EVALSHA; when the server does not know the script (after a restart or SCRIPT FLUSH it answers
/// <c>NOSCRIPT</c>) the client falls back to EVAL, which also caches it on the server again.
/// </summary>
public sealed class RedisScript
{
    /// <summary>Wraps a Lua script.</summary>
    /// <exception cref="ArgumentException"><paramref name="script"/> is null or empty.</exception>
    public RedisScript(string script)
    {
        ArgumentException.ThrowIfNullOrEmpty(script);
        Script = script;
        ScriptBytes = Encoding.UTF8.GetBytes(script);
        Sha1 = ComputeSha1(ScriptBytes);
        Sha1Bytes = Encoding.ASCII.GetBytes(Sha1);
    }

    /// <summary>The Lua source.</summary>
    public string Script { get; }

    /// <summary>The lowercase hex SHA1 of the UTF-8 source, as SCRIPT LOAD returns it.</summary>
    public string Sha1 { get; }

    internal byte[] ScriptBytes { get; }

    internal byte[] Sha1Bytes { get; }

    /// <summary>Identifies the script by its digest, for debugging.</summary>
    public override string ToString() => $"RedisScript {Sha1}";

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "SHA1 is the script identifier defined by Redis EVALSHA, not a security control.")]
    [SuppressMessage("Security", "SCS0006:Weak hashing function",
        Justification = "SHA1 is the script identifier defined by Redis EVALSHA, not a security control.")]
    private static string ComputeSha1(byte[] script) => Convert.ToHexStringLower(SHA1.HashData(script));
}
