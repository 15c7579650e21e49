namespace Bastion.Abuse;

/// <summary>
/// Smart lockout (<c>Bastion:Abuse:Lockout:Account</c>): failures against one account from sources it has not
/// signed in from before, counted across every address, lock the account for such sources only. Browsers and
/// clients it knows (<see cref="FamiliarSourceOptions"/>) still sign in, so guessing cannot lock the owner out.
/// </summary>
public sealed class AccountLockoutOptions
{
    /// <summary>Failures from unfamiliar sources within <see cref="Window"/> that lock the account for them.</summary>
    public int MaxFailures { get; set; } = 10;

    /// <summary>
    /// How long failures are counted. A day: a shorter window lets an attacker stay just under the threshold
    /// forever (MaxFailures − 1 guesses per window).
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The first lock's length; each further lock within a window of the last one lasts twice as long.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest lock: a lockout must end by itself.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromDays(1);
}
