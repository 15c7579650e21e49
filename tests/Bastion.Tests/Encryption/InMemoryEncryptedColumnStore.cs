using Bastion.Audit;
using Bastion.Encryption;

namespace Bastion.Tests.Encryption;

/// <summary>One encrypted column held in memory, recording each read and write the job makes.</summary>
internal sealed class InMemoryEncryptedColumnStore : IEncryptedColumnStore
{
    public SortedDictionary<Guid, (string Ciphertext, string? Index)> Rows { get; } = [];

    public List<Guid?> ReadsAfter { get; } = [];

    public List<int> WriteSizes { get; } = [];

    public List<AuditEvent> AuditEntries { get; } = [];

    /// <summary>Fails the write with this number (1-based), as a crash or a lost connection would.</summary>
    public int? FailWrite { get; set; }

    /// <summary>Called between reading a batch and writing it, as another writer could act.</summary>
    public Action? BeforeWrite { get; set; }

    public Task<IReadOnlyList<EncryptedValue>> ReadAsync(EncryptedColumn column, Guid? after, int limit, CancellationToken cancellationToken)
    {
        ReadsAfter.Add(after);
        IReadOnlyList<EncryptedValue> batch = [.. Rows.Where(r => after is null || r.Key.CompareTo(after.Value) > 0).Take(limit)
            .Select(r => new EncryptedValue(r.Key, r.Value.Ciphertext, r.Value.Index))];
        return Task.FromResult(batch);
    }

    public Task<IReadOnlyList<RenewedValue>> WriteAsync(
        EncryptedColumn column, IReadOnlyList<RenewedValue> values, Func<IReadOnlyList<RenewedValue>, AuditEvent> audit, CancellationToken cancellationToken)
    {
        BeforeWrite?.Invoke();
        WriteSizes.Add(values.Count);
        if (FailWrite == WriteSizes.Count)
        {
            throw new InvalidOperationException("The connection was lost.");
        }

        var written = new List<RenewedValue>();
        foreach (var value in values)
        {
            // The conditional update: only a row that still holds what was read changes.
            if (Rows[value.Old.Key] == (value.Old.Ciphertext, value.Old.Index))
            {
                Rows[value.Old.Key] = (value.Ciphertext, value.Index);
                written.Add(value);
            }
        }

        if (written.Count > 0)
        {
            AuditEntries.Add(audit(written));
        }

        return Task.FromResult<IReadOnlyList<RenewedValue>>(written);
    }

    public Task<(KeyVersionUsage Ciphertexts, KeyVersionUsage? Index)> UsageAsync(EncryptedColumn column, CancellationToken cancellationToken)
    {
        var ciphertexts = KeyVersionUsage.From(Rows.Values.Select(r => ("v" + FieldCipher.VersionOf(r.Ciphertext) + ":", 1L)), p => int.Parse(p[1..^1], System.Globalization.CultureInfo.InvariantCulture));
        var index = column.BlindIndex is null ? null
            : KeyVersionUsage.From(Rows.Values.Where(r => r.Index is not null).Select(r => (r.Index!, 1L)), BlindIndex.VersionOf);
        return Task.FromResult((ciphertexts, index));
    }
}
