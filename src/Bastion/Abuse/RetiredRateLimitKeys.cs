using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bastion.Abuse;

/// <summary>
/// Refuses to start with the rate-limit keys that budgets replaced: they are no longer read, and a limit an operator
/// once tightened must not loosen without a word.
/// </summary>
internal sealed class RetiredRateLimitKeys(IConfiguration configuration) : IValidateOptions<AbuseOptions>
{
    private static readonly Dictionary<string, string> Replacements = new(StringComparer.OrdinalIgnoreCase)
    {
        ["PerEndpointPerHour"] = "Budgets:Read:PerHour and Budgets:Write:PerHour",
        ["PerEndpointPerDay"] = "Budgets:Read:PerDay and Budgets:Write:PerDay",
        ["ApiPerMinute"] = "Budgets:Read:PerMinute and Budgets:Write:PerMinute",
        ["SignInPerMinute"] = "Budgets:SignIn:PerMinute and Budgets:SignIn:Address:PerMinute",
        ["RecoveryPerHour"] = "Budgets:Mail:Address:PerHour",
    };

    public ValidateOptionsResult Validate(string? name, AbuseOptions options)
    {
        var failures = configuration.GetSection("Bastion:Abuse:RateLimits").GetChildren()
            .Where(setting => Replacements.ContainsKey(setting.Key))
            .Select(setting => $"Bastion:Abuse:RateLimits:{setting.Key} is no longer read; set Bastion:Abuse:RateLimits:{Replacements[setting.Key]} instead (docs/CONFIGURATION.md).")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
