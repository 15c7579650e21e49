using System.Text.Json.Nodes;
using Bastion.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Encryption;

/// <summary>
/// The re-encryption job: walks every declared <see cref="EncryptedColumn"/> in key order, a bounded batch at a time,
/// and rewrites each value not yet under the current key (and each blind index not yet under the current index key).
/// </summary>
/// <remarks>
/// Resumable because idempotent: a value already current is skipped, so a run that stopped (a crash, a deploy) is
/// simply started again. Each batch commits in its own transaction together with its audit entry. Two nodes may run
/// it at once: every update is conditional on the old value, so the second writer of a row changes nothing.
/// </remarks>
internal sealed partial class FieldReEncryption(
    EncryptedColumns columns,
    IEncryptedColumnStore store,
    FieldCipher cipher,
    BlindIndex index,
    IOptions<FieldEncryptionOptions> options,
    ILogger<FieldReEncryption> logger)
{
    /// <summary>Runs the job over every column; <paramref name="template"/> carries who started it, for the audit entries.</summary>
    public async Task<ReEncryptionReport> RunAsync(AuditEvent template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        var results = new List<ColumnReEncryption>();
        foreach (var column in columns.All)
        {
            results.Add(await RunAsync(column, template, cancellationToken));
        }

        return new ReEncryptionReport(cipher.CurrentVersion, index.CurrentVersion, results);
    }

    /// <summary>The key versions in use per column, against the configured ones.</summary>
    public async Task<EncryptionStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        var statuses = new List<EncryptedColumnStatus>();
        foreach (var column in columns.All)
        {
            var (ciphertexts, blind) = await store.UsageAsync(column, cancellationToken);
            statuses.Add(new EncryptedColumnStatus(column.Name, ciphertexts, column.BlindIndex is { } b ? column.Table + "." + b.Column : null, blind));
        }

        var settings = options.Value;
        return new EncryptionStatus(
            cipher.CurrentVersion, Versions(settings.Keys), index.CurrentVersion, Versions(settings.AllBlindIndexKeys), statuses);
    }

    private async Task<ColumnReEncryption> RunAsync(EncryptedColumn column, AuditEvent template, CancellationToken cancellationToken)
    {
        var batchSize = options.Value.ReEncryptionBatchSize;
        long examined = 0, reEncrypted = 0, reIndexed = 0, conflicts = 0, unreadable = 0;
        Guid? after = null;
        while (true)
        {
            var batch = await store.ReadAsync(column, after, batchSize, cancellationToken);
            var renewed = new List<RenewedValue>();
            foreach (var value in batch)
            {
                try
                {
                    if (ValueRenewal.Renew(cipher, index, column, value) is { } fresh)
                    {
                        renewed.Add(fresh);
                    }
                }
                catch (FieldDecryptionException failure)
                {
                    // Left as it is: rewriting a value that does not authenticate would launder it (or lose it).
                    unreadable++;
                    Log.Unreadable(logger, column.Name, value.Key, failure.Reason, failure.KeyVersion);
                }
            }

            if (renewed.Count > 0)
            {
                var written = await store.WriteAsync(column, renewed, w => AuditEntry(template, column, w), cancellationToken);
                reEncrypted += written.Count(w => w.ReEncrypted);
                reIndexed += written.Count(w => w.ReIndexed);
                conflicts += renewed.Count - written.Count;
            }

            examined += batch.Count;
            if (batch.Count < batchSize)
            {
                break;
            }

            after = batch[^1].Key;
        }

        Log.ColumnDone(logger, column.Name, examined, reEncrypted, reIndexed, conflicts, unreadable);
        return new ColumnReEncryption(column.Name, examined, reEncrypted, reIndexed, conflicts, unreadable);
    }

    private AuditEvent AuditEntry(AuditEvent template, EncryptedColumn column, IReadOnlyList<RenewedValue> written) => template with
    {
        Type = AuditEventTypes.DataModification,
        Severity = AuditSeverity.Warning,
        Action = "re-encrypt",
        EntityType = column.Table,
        Details = new JsonObject
        {
            ["column"] = column.CiphertextColumn,
            ["keyVersion"] = cipher.CurrentVersion,
            ["reEncrypted"] = written.Count(w => w.ReEncrypted),
            ["blindIndexVersion"] = column.BlindIndex is null ? null : index.CurrentVersion,
            ["reIndexed"] = written.Count(w => w.ReIndexed),
        },
    };

    private static int[] Versions(IEnumerable<KeyValuePair<string, string>> keys)
        => [.. keys.Select(k => KeyVersion.TryParse(k.Key, out var v) ? v : 0).Where(v => v > 0).Order()];

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Re-encryption left a value of {Column} in row {Key} as it was: it did not decrypt ({Reason}, key version {KeyVersion})",
            EventName = "ReEncryptionValueUnreadable")]
        public static partial void Unreadable(ILogger logger, string column, Guid key, FieldDecryptionFailure reason, int? keyVersion);

        [LoggerMessage(2, LogLevel.Information,
            "Re-encryption of {Column}: {Examined} values read, {ReEncrypted} re-encrypted, {ReIndexed} re-indexed, {Conflicts} changed meanwhile by others, {Unreadable} unreadable",
            EventName = "ReEncryptionColumnDone")]
        public static partial void ColumnDone(ILogger logger, string column, long examined, long reEncrypted, long reIndexed, long conflicts, long unreadable);
    }
}
