using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace Bastion.Audit;

/// <summary>
/// Walks <c>audit_log</c> in seq order, one row at a time (memory does not grow with the log), recomputes each
/// entry's hash and reports the first broken link (ASVS 5.0 V16.4.2). The read is one statement, so it sees one
/// consistent snapshot while writers go on appending.
/// </summary>
public sealed class AuditChainVerifier
{
    private readonly AuditDatabase _database;

    internal AuditChainVerifier(AuditDatabase database) => _database = database;

    public async Task<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = AuditDatabase.Command(connection, null, $"SELECT {AuditDatabase.Columns} FROM audit_log ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        long checkedCount = 0, previousSeq = 0;
        var previousHash = AuditHash.Genesis;
        while (await reader.ReadAsync(cancellationToken))
        {
            var seq = reader.GetInt64(0);
            var failure = Check(reader, seq, previousSeq, previousHash);
            if (failure is not null)
            {
                return new AuditVerificationResult(checkedCount, previousSeq, previousHash, failure);
            }

            checkedCount++;
            previousSeq = seq;
            previousHash = reader.GetString(16);
        }

        return new AuditVerificationResult(checkedCount, previousSeq, previousHash, null);
    }

    /// <summary>
    /// <c>audit verify</c>: verifies the chain of the configured database and writes the verdict. Exit code 0 when
    /// the chain is intact, 1 when it is broken, 2 when it could not be read.
    /// </summary>
    public static async Task<int> RunVerifyCommandAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        AuditVerificationResult result;
        try
        {
            result = await services.GetRequiredService<AuditChainVerifier>().VerifyAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException)
        {
            await output.WriteLineAsync($"Audit log could not be verified: {exception.Message}");
            return 2;
        }

        if (result.FirstBreak is { } broken)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Audit chain BROKEN at seq {broken.Seq} ({broken.Kind}): {broken.Message} {result.EntriesChecked} entries before it are intact; the last good one is seq {result.HeadSeq}, hash {result.HeadHash}."));
            return 1;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Audit chain intact: {result.EntriesChecked} entries; head seq {result.HeadSeq}, hash {result.HeadHash}. Compare the head with a copy kept elsewhere to detect truncation or wholesale rewriting."));
        return 0;
    }

    private AuditChainBreak? Check(DbDataReader reader, long seq, long previousSeq, string previousHash)
    {
        // Order matters: a gap says "deleted", a bad link "reordered or re-hashed", and only then is the content checked.
        if (seq != previousSeq + 1)
        {
            return new AuditChainBreak(previousSeq + 1, AuditChainBreakKind.Gap, seq > previousSeq + 1
                ? string.Create(CultureInfo.InvariantCulture, $"Entries {previousSeq + 1} to {seq - 1} are missing.")
                : string.Create(CultureInfo.InvariantCulture, $"Expected seq {previousSeq + 1} but found {seq}."));
        }

        AuditRecord record;
        try
        {
            record = _database.Read(reader);
        }
        catch (Exception exception) when (exception is FormatException or InvalidCastException or OverflowException)
        {
            return new AuditChainBreak(seq, AuditChainBreakKind.Unreadable, $"Entry {seq} holds a value the writer never stores ({exception.GetType().Name}); the row was edited.");
        }

        if (!string.Equals(record.PrevHash, previousHash, StringComparison.Ordinal))
        {
            return new AuditChainBreak(seq, AuditChainBreakKind.Link, string.Create(CultureInfo.InvariantCulture,
                $"Entry {seq} does not link to entry {previousSeq}: its prev_hash is not that entry's hash. Entries were removed, inserted or reordered."));
        }

        return string.Equals(AuditHash.Compute(record), record.Hash, StringComparison.Ordinal)
            ? null
            : new AuditChainBreak(seq, AuditChainBreakKind.Hash, string.Create(CultureInfo.InvariantCulture,
                $"Entry {seq} does not match its hash: the row was edited after it was written."));
    }
}
