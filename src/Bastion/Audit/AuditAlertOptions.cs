namespace Bastion.Audit;

/// <summary>Alerts for critical audit events (<c>Bastion:Audit:Alerts</c>).</summary>
public sealed class AuditAlertOptions
{
    /// <summary>An HTTPS endpoint that receives each critical event as a signed JSON POST; none when unset.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>The HMAC-SHA256 key for the <c>X-Bastion-Signature</c> header: at least 32 characters, required with a URL.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>An address that receives critical entries by e-mail (through <c>Bastion:Email</c>); unset means none.</summary>
    public string? Email { get; set; }

    /// <summary>How long one delivery attempt may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per alert and sink, the first included.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait before the first retry; it doubles with each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Alerts waiting to be sent; when full, further alerts are dropped (and logged).</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Deliveries (attempts and their backoff waits) in progress at once, over all sinks.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 8;
}
