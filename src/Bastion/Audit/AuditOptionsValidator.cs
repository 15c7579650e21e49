using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Audit;

/// <summary>Refuses settings that would lose entries or send alerts insecurely; each message names the setting to change.</summary>
internal sealed class AuditOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuditOptions>
{
    public const int MinimumSecretLength = 32;

    // 1,000 rows of 17 parameters stay under SQLite's and PostgreSQL's limits on parameters per statement.
    private const int MaxBatchSizeLimit = 1000;

    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxBatchSize is < 1 or > MaxBatchSizeLimit)
        {
            failures.Add($"Bastion:Audit:MaxBatchSize must be between 1 and {MaxBatchSizeLimit}.");
        }

        if (options.BatchWindow < TimeSpan.Zero || options.BatchWindow > TimeSpan.FromSeconds(1))
        {
            failures.Add("Bastion:Audit:BatchWindow must be between 0 and 1 second: every lone write waits this long.");
        }

        if (options.QueueCapacity < options.MaxBatchSize)
        {
            failures.Add("Bastion:Audit:QueueCapacity must be at least MaxBatchSize.");
        }

        if (options.OutboxSweepInterval < TimeSpan.FromMilliseconds(100) || options.OutboxSweepInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add("Bastion:Audit:OutboxSweepInterval must be between 100 ms and 5 minutes: it bounds how long an entry whose writer died waits to be chained.");
        }

        ValidateAlerts(options.Alerts, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void ValidateAlerts(AuditAlertOptions alerts, List<string> failures)
    {
        if (alerts.WebhookUrl is { } url)
        {
            if (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(url.UserInfo))
            {
                failures.Add("Bastion:Audit:Alerts:WebhookUrl must be an absolute https:// URL without credentials in it.");
            }
            else if (url.Scheme == "http" && environment.IsProduction())
            {
                // Alerts describe attacks in progress and carry the signature: never in clear text (ASVS 5.0 V12.3.1).
                failures.Add("Bastion:Audit:Alerts:WebhookUrl must use https in production.");
            }

            if (alerts.WebhookSecret is not { Length: >= MinimumSecretLength } secret || secret.Distinct().Count() < 8)
            {
                failures.Add($"Bastion:Audit:Alerts:WebhookSecret must be at least {MinimumSecretLength} random characters when a WebhookUrl is set (openssl rand -base64 32): the receiver checks each alert's HMAC-SHA256 signature with it.");
            }
        }

        if (alerts.Timeout <= TimeSpan.Zero)
        {
            failures.Add("Bastion:Audit:Alerts:Timeout must be positive.");
        }

        if (alerts.MaxAttempts is < 1 or > 20)
        {
            failures.Add("Bastion:Audit:Alerts:MaxAttempts must be between 1 and 20.");
        }

        if (alerts.InitialRetryDelay <= TimeSpan.Zero || alerts.MaxRetryDelay < alerts.InitialRetryDelay)
        {
            failures.Add("Bastion:Audit:Alerts:InitialRetryDelay must be positive and no longer than MaxRetryDelay.");
        }

        if (alerts.QueueCapacity < 1 || alerts.MaxConcurrentDeliveries < 1)
        {
            failures.Add("Bastion:Audit:Alerts:QueueCapacity and MaxConcurrentDeliveries must be at least 1.");
        }
    }
}
