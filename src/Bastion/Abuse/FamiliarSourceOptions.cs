namespace Bastion.Abuse;

/// <summary>
/// What makes a source familiar to an account (<c>Bastion:Abuse:Lockout:Familiar</c>): a device cookie issued by a
/// successful sign-in (OWASP "Slow Down Online Guessing Attacks with Device Cookies"), or, for clients that keep
/// no cookies, an address the account signed in from before.
/// </summary>
public sealed class FamiliarSourceOptions
{
    /// <summary>The device cookie's name; over HTTPS it gets the <c>__Host-</c> prefix.</summary>
    public string DeviceCookieName { get; set; } = "bastion.device";

    /// <summary>How long a device cookie is honoured after the sign-in that issued it.</summary>
    public TimeSpan DeviceCookieLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Failures one device cookie may have within <see cref="DeviceWindow"/>; past that the device counts as
    /// unfamiliar, so a stolen cookie is no key to unlimited guessing.
    /// </summary>
    public int DeviceMaxFailures { get; set; } = 10;

    public TimeSpan DeviceWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Whether an address the account signed in from counts as familiar (for clients without cookies).</summary>
    public bool RememberAddresses { get; set; } = true;

    /// <summary>How long an address stays familiar after the last successful sign-in from it.</summary>
    public TimeSpan AddressLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The most new addresses one account learns within <see cref="AddressLifetime"/>.</summary>
    public int MaxAddresses { get; set; } = 10;
}
