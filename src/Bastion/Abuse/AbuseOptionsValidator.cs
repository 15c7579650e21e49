using System.Net;
using Microsoft.Extensions.Options;

namespace Bastion.Abuse;

internal sealed class AbuseOptionsValidator : IValidateOptions<AbuseOptions>
{
    public ValidateOptionsResult Validate(string? name, AbuseOptions options)
    {
        var failures = new List<string>();
        failures.AddRange(RateLimitOptionsValidation.Validate(options.RateLimits));

        if (options.Lockout.MaxFailures < 1 || options.Lockout.Window <= TimeSpan.Zero || options.Lockout.Duration <= TimeSpan.Zero)
        {
            failures.Add("Bastion:Abuse:Lockout: MaxFailures must be at least 1, Window and Duration positive.");
        }

        if (options.Lockout.Duration > TimeSpan.FromDays(1))
        {
            failures.Add("Bastion:Abuse:Lockout:Duration may be at most a day: a lockout must end by itself.");
        }

        if (options.Lockout.DelayBase < TimeSpan.Zero || options.Lockout.MaxDelay > TimeSpan.FromSeconds(30))
        {
            failures.Add("Bastion:Abuse:Lockout: DelayBase must not be negative and MaxDelay at most 30 seconds.");
        }

        failures.AddRange(SmartLockoutFailures(options.Lockout));

        if (options.IpBlocking.MaxFailures < 1 || options.IpBlocking.Window <= TimeSpan.Zero || options.IpBlocking.Duration <= TimeSpan.Zero)
        {
            failures.Add("Bastion:Abuse:IpBlocking: MaxFailures must be at least 1, Window and Duration positive.");
        }

        failures.AddRange(options.IpBlocking.Allowlist
            .Where(entry => !IPAddress.TryParse(entry, out _) && !IPNetwork.TryParse(entry, out _))
            .Select(entry => $"Bastion:Abuse:IpBlocking:Allowlist entry '{entry}' is neither an IP address nor a CIDR range."));

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> SmartLockoutFailures(LockoutOptions lockout)
    {
        var account = lockout.Account;
        if (account.MaxFailures is < 1 or > 1000 || account.Window <= TimeSpan.Zero || account.Duration <= TimeSpan.Zero)
        {
            yield return "Bastion:Abuse:Lockout:Account: MaxFailures must be between 1 and 1000, Window and Duration positive.";
        }

        if (account.MaxDuration < account.Duration || account.MaxDuration > TimeSpan.FromDays(7))
        {
            yield return "Bastion:Abuse:Lockout:Account:MaxDuration must be at least Duration and at most 7 days: a lockout must end by itself.";
        }

        var familiar = lockout.Familiar;
        if (string.IsNullOrWhiteSpace(familiar.DeviceCookieName) || familiar.DeviceCookieName.StartsWith("__", StringComparison.Ordinal)
            || familiar.DeviceCookieName.Any(c => char.IsWhiteSpace(c) || c is ';' or ',' or '='))
        {
            yield return "Bastion:Abuse:Lockout:Familiar:DeviceCookieName must be a plain cookie name (no spaces, ';', ',', '=', nor a '__' prefix: __Host- is added over HTTPS).";
        }

        if (familiar.DeviceCookieLifetime <= TimeSpan.Zero || familiar.DeviceCookieLifetime > TimeSpan.FromDays(400))
        {
            yield return "Bastion:Abuse:Lockout:Familiar:DeviceCookieLifetime must be positive and at most 400 days (RFC 6265bis caps cookie lifetimes there).";
        }

        if (familiar.DeviceMaxFailures < 1 || familiar.DeviceWindow <= TimeSpan.Zero)
        {
            yield return "Bastion:Abuse:Lockout:Familiar: DeviceMaxFailures must be at least 1 and DeviceWindow positive.";
        }

        if (familiar.MaxAddresses is < 1 or > 100 || familiar.AddressLifetime <= TimeSpan.Zero)
        {
            yield return "Bastion:Abuse:Lockout:Familiar: MaxAddresses must be between 1 and 100 and AddressLifetime positive.";
        }
    }
}
