namespace Bastion.Hosting;

/// <summary>
/// Explicit, logged exceptions to the production transport rules (<c>Bastion:Transport</c>). Each is false by default:
/// a node outside Development refuses to start when a rule is broken and its exception is not set.
/// </summary>
public sealed class TransportOptions
{
    /// <summary>Accept <c>AllowedHosts</c> of <c>*</c> or empty: only when a proxy in front already refuses foreign Host headers.</summary>
    public bool AllowAnyHost { get; set; }

    /// <summary>Connect to a PostgreSQL server that is not on loopback without verifying its certificate (SSL Mode below VerifyCA).</summary>
    public bool AllowInsecureDatabase { get; set; }

    /// <summary>Connect to a Redis server that is not on loopback without TLS (the built-in client has no TLS).</summary>
    public bool AllowInsecureRedis { get; set; }

    /// <summary>Accept uploads with no virus scanner (<c>Bastion:Uploads:ClamAv</c>) configured.</summary>
    public bool AllowUnscannedUploads { get; set; }
}
