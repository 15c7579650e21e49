using System.Net;
using Bastion.Protection;
using Bastion.Sessions;
using Bastion.State;
using Bastion.Storage;
using Bastion.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Hosting;

// Each validator names the setting to change: a node that would run insecurely refuses to start and says why.

internal sealed class SessionOptionsValidator(IHostEnvironment environment) : IValidateOptions<SessionOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionOptions options)
    {
        var failures = new List<string>();
        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            failures.Add("Bastion:Sessions:IdleTimeout must be positive.");
        }

        if (options.AbsoluteLifetime < options.IdleTimeout)
        {
            failures.Add("Bastion:Sessions:AbsoluteLifetime must be at least the IdleTimeout.");
        }

        if (options.ActivityUpdateInterval < TimeSpan.Zero || options.ActivityUpdateInterval >= options.IdleTimeout)
        {
            failures.Add("Bastion:Sessions:ActivityUpdateInterval must be between zero and the IdleTimeout.");
        }

        if (options.SameSite is not (SameSiteMode.Lax or SameSiteMode.Strict))
        {
            failures.Add("Bastion:Sessions:SameSite must be Lax or Strict; None would send the session cookie with cross-site requests.");
        }

        if (string.IsNullOrWhiteSpace(options.CookieName) || !options.CookieName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            failures.Add("Bastion:Sessions:CookieName must be letters, digits, '.', '_' or '-'.");
        }

        if (options.MaxSessionsPerUser < 1)
        {
            failures.Add("Bastion:Sessions:MaxSessionsPerUser must be at least 1.");
        }

        if (environment.IsProduction() && options.SecureCookies == false)
        {
            failures.Add("Bastion:Sessions:SecureCookies=false is refused in production: session cookies must be Secure. Remove the setting and serve over HTTPS.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class CorsSettingsValidator : IValidateOptions<CorsSettings>
{
    public ValidateOptionsResult Validate(string? name, CorsSettings options)
    {
        var failures = new List<string>();
        foreach (var origin in options.AllowedOrigins)
        {
            if (origin == "*")
            {
                if (options.AllowCredentials)
                {
                    failures.Add("Bastion:Cors:AllowedOrigins may not contain '*' while AllowCredentials is true: list the exact origins instead.");
                }

                continue;
            }

            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || origin.EndsWith('/'))
            {
                failures.Add($"Bastion:Cors:AllowedOrigins entry '{origin}' is not an origin such as https://app.example.com.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class SecretsOptionsValidator(IHostEnvironment environment, IOptions<DatabaseOptions> database, IOptions<StateOptions> state)
    : IValidateOptions<SecretsOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretsOptions options)
    {
        if (options.MasterKey is null)
        {
            if (environment.IsProduction())
            {
                return ValidateOptionsResult.Fail("Bastion:Secrets:MasterKey is required in production: set it to 32 random bytes in base64 (openssl rand -base64 32).");
            }

            // Shared storage means several nodes; a key generated per node would lock the others out of the key ring.
            return database.Value.Provider == DatabaseProvider.Postgres || state.Value.Provider == StateProvider.Redis
                ? ValidateOptionsResult.Fail("Bastion:Secrets:MasterKey is required with a shared database or state store, and must be the same on every node: set it to 32 random bytes in base64 (openssl rand -base64 32).")
                : ValidateOptionsResult.Success;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(options.MasterKey);
        }
        catch (FormatException)
        {
            return ValidateOptionsResult.Fail("Bastion:Secrets:MasterKey is not base64: set it to 32 random bytes in base64 (openssl rand -base64 32).");
        }

        if (key.Length < 32)
        {
            return ValidateOptionsResult.Fail("Bastion:Secrets:MasterKey is shorter than 256 bits: set it to 32 random bytes in base64 (openssl rand -base64 32).");
        }

        // A key of few distinct bytes is a placeholder ("AAAA…"), not a secret.
        return key.Distinct().Count() < 16
            ? ValidateOptionsResult.Fail("Bastion:Secrets:MasterKey looks like a placeholder, not random bytes: generate one with openssl rand -base64 32.")
            : ValidateOptionsResult.Success;
    }
}

internal sealed class DatabaseOptionsValidator(IHostEnvironment environment) : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (options.Provider != DatabaseProvider.Postgres)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail("Bastion:Database:ConnectionString is required with Provider=Postgres (Host=…;Database=…;Username=…;Password=…).");
        }

        Npgsql.NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException)
        {
            return ValidateOptionsResult.Fail("Bastion:Database:ConnectionString is not a valid PostgreSQL connection string (Host=…;Database=…;Username=…;Password=…).");
        }

        return environment.IsProduction() && !SecretStrength.IsStrong(builder.Password)
            ? ValidateOptionsResult.Fail($"Bastion:Database:ConnectionString has a weak or missing password: production needs at least {SecretStrength.MinimumLength} random characters.")
            : ValidateOptionsResult.Success;
    }
}

internal sealed class StateOptionsValidator(IHostEnvironment environment) : IValidateOptions<StateOptions>
{
    public ValidateOptionsResult Validate(string? name, StateOptions options)
    {
        if (options.Provider != StateProvider.Redis)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            return ValidateOptionsResult.Fail("Bastion:State:Redis is required with Provider=Redis (host:port,password=…).");
        }

        Redis.RedisConnectionOptions redis;
        try
        {
            redis = Redis.RedisConnectionOptions.Parse(options.Redis);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            return ValidateOptionsResult.Fail($"Bastion:State:Redis is not a valid Redis configuration: {exception.Message}");
        }

        return environment.IsProduction() && !SecretStrength.IsStrong(redis.Password)
            ? ValidateOptionsResult.Fail($"Bastion:State:Redis has a weak or missing password: in production Redis holds sessions and must require AUTH with at least {SecretStrength.MinimumLength} random characters (add ,password=…).")
            : ValidateOptionsResult.Success;
    }
}

/// <summary>Seed 003's checklist: service passwords of 20+ characters; here at least 16, not one repeated character.</summary>
internal static class SecretStrength
{
    public const int MinimumLength = 16;

    public static bool IsStrong(string? secret) => secret is { Length: >= MinimumLength } && secret.Distinct().Count() >= 6;
}

internal sealed class NetworkOptionsValidator(IHostEnvironment environment) : IValidateOptions<NetworkOptions>
{
    public ValidateOptionsResult Validate(string? name, NetworkOptions options)
    {
        var failures = options.TrustedProxies
            .Where(p => !IPAddress.TryParse(p, out _) && !IPNetwork.TryParse(p, out _))
            .Select(p => $"Bastion:Network:TrustedProxies entry '{p}' is neither an IP address nor a CIDR range.")
            .ToList();
        if (options.MaxRequestBodyBytes <= 0)
        {
            failures.Add("Bastion:Network:MaxRequestBodyBytes must be positive.");
        }

        if (environment.IsProduction() && options.RequireHttps == false)
        {
            failures.Add("Bastion:Network:RequireHttps=false is refused in production: serve HTTPS, or terminate TLS at a proxy listed in Bastion:Network:TrustedProxies (its X-Forwarded-Proto is then believed).");
        }

        if (environment.IsProduction() && options.HstsMaxAge < TimeSpan.FromDays(365))
        {
            failures.Add("Bastion:Network:HstsMaxAge must be at least 365 days in production (RFC 6797; browsers' preload lists ask for a year).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class BootstrapOptionsValidator(Accounts.Passwords.PasswordPolicy policy) : IValidateOptions<BootstrapOptions>
{
    public ValidateOptionsResult Validate(string? name, BootstrapOptions options)
    {
        if (options.AdminEmail is null && options.AdminPassword is null)
        {
            return ValidateOptionsResult.Success;
        }

        if (options.AdminEmail is null || options.AdminPassword is null)
        {
            return ValidateOptionsResult.Fail("Bastion:Bootstrap needs both AdminEmail and AdminPassword, or neither.");
        }

        if (EmailAddress.Validate(options.AdminEmail) is { } emailError)
        {
            return ValidateOptionsResult.Fail($"Bastion:Bootstrap:AdminEmail: {emailError}");
        }

        var evaluation = policy.Evaluate(options.AdminPassword, options.AdminEmail, options.AdminName);
        return evaluation.IsValid
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Bastion:Bootstrap:AdminPassword does not meet the password policy: {string.Join(" ", evaluation.Failures.Select(f => f.Message))}");
    }
}
