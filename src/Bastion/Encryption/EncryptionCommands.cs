using System.Data.Common;
using System.Globalization;
using Bastion.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Bastion.Encryption;

/// <summary>
/// The command line for key rotation: <c>encryption status</c> (which key versions each column uses) and
/// <c>encryption reencrypt</c> (the job). They run without starting the server, so <c>status</c> also answers for a
/// database whose keys no longer let the server start.
/// </summary>
public static class EncryptionCommands
{
    private const string Resource = "cli encryption reencrypt";

    /// <summary>
    /// <c>encryption status</c>: exit code 0 when every value is under the current versions (older keys may go),
    /// 1 when some are still under older configured versions (run <c>encryption reencrypt</c>), 2 when a version is
    /// missing from the configuration or the database could not be read.
    /// </summary>
    public static async Task<int> RunStatusCommandAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken = default)
    {
        var status = await RunJobAsync(services, output, job => job.StatusAsync(cancellationToken), "Encryption status could not be read: {0}");
        if (status is null)
        {
            return 2;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Current key version {status.KeyVersion} (configured: {string.Join(", ", status.ConfiguredKeyVersions)}); current blind-index version {status.BlindIndexVersion} (configured: {string.Join(", ", status.ConfiguredBlindIndexVersions)})."));
        foreach (var column in status.Columns)
        {
            await output.WriteLineAsync($"{column.Column}: {Describe(column.KeyVersions)}");
            if (column.BlindIndexVersions is { } blind)
            {
                await output.WriteLineAsync($"{column.BlindIndexColumn}: {Describe(blind)}");
            }
        }

        if (KeyCoverage.Refusal(status) is { } refusal)
        {
            await output.WriteLineAsync(refusal);
            return 2;
        }

        await output.WriteLineAsync(status.Current
            ? "Every value is under the current versions: keys of other versions may be removed."
            : "Some values are under older versions: run `encryption reencrypt` before removing their keys.");
        return status.Current ? 0 : 1;
    }

    /// <summary>
    /// <c>encryption reencrypt</c>: runs the job over every column. Exit code 0 when it finished with every value
    /// readable, 1 when some values could not be decrypted (left as they were; see the log), 2 when the database failed.
    /// </summary>
    public static async Task<int> RunReEncryptCommandAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken = default)
    {
        var template = new AuditEvent(AuditEventTypes.DataModification) { Resource = Resource };
        var report = await RunJobAsync(services, output, job => job.RunAsync(template, cancellationToken), "Re-encryption stopped: {0} Run it again: values already done are skipped.");
        if (report is null)
        {
            return 2;
        }

        foreach (var column in report.Columns)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{column.Column}: {column.Examined} read, {column.ReEncrypted} re-encrypted, {column.ReIndexed} re-indexed, {column.Conflicts} changed meanwhile, {column.Unreadable} unreadable"));
        }

        // The audit entries are written by the outbox's chaining pass; wait for it so the process does not exit first.
        await services.GetRequiredService<IAuditLog>().WriteAsync(new AuditEvent(AuditEventTypes.DataModification)
        {
            Severity = AuditSeverity.Warning,
            Action = "re-encrypt",
            Resource = Resource,
            Details = new System.Text.Json.Nodes.JsonObject { ["reEncrypted"] = report.ReEncrypted, ["reIndexed"] = report.ReIndexed, ["unreadable"] = report.Unreadable },
        }, cancellationToken);
        return report.Unreadable == 0 ? 0 : 1;
    }

    private static async Task<T?> RunJobAsync<T>(IServiceProvider services, TextWriter output, Func<FieldReEncryption, Task<T>> run, string failure)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        await using var scope = services.CreateAsyncScope();
        try
        {
            return await run(scope.ServiceProvider.GetRequiredService<FieldReEncryption>());
        }
        catch (DbException exception)
        {
            await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, failure, exception.Message));
            return null;
        }
    }

    private static string Describe(KeyVersionUsage usage)
    {
        var parts = usage.Versions.Select(v => string.Create(CultureInfo.InvariantCulture, $"version {v.Key}: {v.Value}")).ToList();
        if (usage.Malformed > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"malformed: {usage.Malformed}"));
        }

        return parts.Count == 0 ? "no values" : string.Join(", ", parts);
    }
}
