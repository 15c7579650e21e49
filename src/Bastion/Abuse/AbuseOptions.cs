namespace Bastion.Abuse;

/// <summary>Rate limits, brute-force lockout and IP blocking (<c>Bastion:Abuse</c>).</summary>
public sealed class AbuseOptions
{
    public RateLimitOptions RateLimits { get; } = new();

    public LockoutOptions Lockout { get; } = new();

    public IpBlockingOptions IpBlocking { get; } = new();
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
