using Microsoft.Extensions.Options;

namespace Bastion.Tokens;

internal sealed class TokenOptionsValidator : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        var failures = new List<string>();
        if (!SigningAlgorithms.All.Contains(options.Algorithm))
        {
            failures.Add($"Bastion:Tokens:Algorithm must be one of {string.Join(", ", SigningAlgorithms.All)}.");
        }

        if (string.IsNullOrWhiteSpace(options.Issuer) || string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Bastion:Tokens:Issuer and Bastion:Tokens:Audience must be set.");
        }

        if (options.AccessTokenLifetime < TimeSpan.FromMinutes(1) || options.AccessTokenLifetime > TimeSpan.FromHours(1))
        {
            failures.Add("Bastion:Tokens:AccessTokenLifetime must be between 1 minute and 1 hour: revocation relies on access tokens being short-lived.");
        }

        if (options.RefreshTokenLifetime <= options.AccessTokenLifetime || options.RefreshFamilyLifetime < options.RefreshTokenLifetime)
        {
            failures.Add("Bastion:Tokens: AccessTokenLifetime < RefreshTokenLifetime ≤ RefreshFamilyLifetime is required.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add("Bastion:Tokens:ClockSkew must be between 0 and 5 minutes (30 seconds by default).");
        }

        if (options.RefreshRetryWindow < TimeSpan.Zero || options.RefreshRetryWindow > TimeSpan.FromMinutes(2))
        {
            failures.Add("Bastion:Tokens:RefreshRetryWindow must be between 0 and 2 minutes: longer would let a stolen, spent refresh token be exchanged long after its use.");
        }

        if (options.KeyRotationInterval < TimeSpan.FromHours(1))
        {
            failures.Add("Bastion:Tokens:KeyRotationInterval must be at least an hour.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
