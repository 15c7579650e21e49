namespace Bastion.Abuse;

/// <summary>Rate limits, brute-force lockout and IP blocking (<c>Bastion:Abuse</c>).</summary>
public sealed class AbuseOptions
{
    public RateLimitOptions RateLimits { get; } = new();

    public LockoutOptions Lockout { get; } = new();

    public IpBlockingOptions IpBlocking { get; } = new();
}

/// <summary>
/// Request limits per client (the signed-in user, else the IP address). The per-endpoint limits are seed 003's
/// Flask-Limiter defaults, which apply to each route separately.
/// </summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per client to one endpoint per hour (seed 003: 50).</summary>
    public int PerEndpointPerHour { get; set; } = 50;

    /// <summary>Requests per client to one endpoint per day (seed 003: 200).</summary>
    public int PerEndpointPerDay { get; set; } = 200;

    /// <summary>Requests per client to the whole API per minute.</summary>
    public int ApiPerMinute { get; set; } = 100;

    /// <summary>Sign-in attempts per IP address per minute (seed 003: 5).</summary>
    public int SignInPerMinute { get; set; } = 5;

    /// <summary>
    /// Requests that send mail (forgot password, resend verification) per IP address per hour. Each account also
    /// gets only a few such mails (<c>Bastion:Recovery</c>), whatever the number of addresses asking.
    /// </summary>
    public int RecoveryPerHour { get; set; } = 10;

    /// <summary>
    /// With a shared state store (Redis), the most permits of one counter a node takes at once and spends without
    /// asking the store again; never more than a sixteenth of the room left, so near a limit every request asks.
    /// 1 makes every request ask the store (exact <c>X-RateLimit-Remaining</c> on every node, one round trip each).
    /// </summary>
    public int MaxLocalPermits { get; set; } = 64;
}

/// <summary>
/// Lockout after repeated failures: for one account from one address (the properties here), and for one account
/// from every unfamiliar source together (<see cref="Account"/>). Keyed by the e-mail as typed, so unknown
/// accounts behave the same.
/// </summary>
public sealed class LockoutOptions
{
    public AccountLockoutOptions Account { get; } = new();

    public FamiliarSourceOptions Familiar { get; } = new();

    public int MaxFailures { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed sign-ins answer no sooner than this times 2^(failures − 2), from the second failure on.</summary>
    public TimeSpan DelayBase { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest a failed sign-in is held back.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(4);
}

/// <summary>Seed 002's intrusion detection: an IP that fails too many sign-ins, across accounts, is blocked.</summary>
public sealed class IpBlockingOptions
{
    public int MaxFailures { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Addresses or CIDR ranges never blocked (office networks, monitoring).</summary>
    public IList<string> Allowlist { get; } = [];
}
