namespace Bastion.Hosting;

/// <summary>Settings that span capabilities (<c>Bastion</c>).</summary>
public sealed class BastionOptions
{
    /// <summary>Where the embedded defaults keep their files: the SQLite database, the e-mail outbox, the development master key.</summary>
    public string DataDirectory { get; set; } = "./data";
}

/// <summary>Secrets (<c>Bastion:Secrets</c>).</summary>
public sealed class SecretsOptions
{
    /// <summary>
    /// 256-bit key (base64) that encrypts keys at rest in the database: the data-protection key ring today,
    /// signing keys and field-encryption keys as they are added. Required in production; in development a
    /// random one is created in the data directory.
    /// </summary>
    public string? MasterKey { get; set; }
}

/// <summary>The first administrator (<c>Bastion:Bootstrap</c>), created once when no super_admin exists.</summary>
public sealed class BootstrapOptions
{
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    public string AdminName { get; set; } = "Administrator";
}

/// <summary>Network edge settings (<c>Bastion:Network</c>).</summary>
public sealed class NetworkOptions
{
    /// <summary>Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For/-Proto headers are believed.</summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>Redirect to HTTPS and send HSTS. Unset means: in production yes, in development no.</summary>
    public bool? RequireHttps { get; set; }

    /// <summary>HSTS max-age; at least one year in production (RFC 6797, hstspreload.org).</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The largest request body accepted by default, in bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
