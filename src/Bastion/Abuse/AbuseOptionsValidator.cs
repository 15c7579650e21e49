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

        if (options.IpBlocking.MaxFailures < 1 || options.IpBlocking.Window <= TimeSpan.Zero || options.IpBlocking.Duration <= TimeSpan.Zero)
        {
            failures.Add("Bastion:Abuse:IpBlocking: MaxFailures must be at least 1, Window and Duration positive.");
        }

        failures.AddRange(options.IpBlocking.Allowlist
            .Where(entry => !IPAddress.TryParse(entry, out _) && !IPNetwork.TryParse(entry, out _))
            .Select(entry => $"Bastion:Abuse:IpBlocking:Allowlist entry '{entry}' is neither an IP address nor a CIDR range."));

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
