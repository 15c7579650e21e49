namespace Bastion.Encryption;

/// <summary>One encrypted property of a row type: how to read it, write it, and the context it is bound to.</summary>
internal sealed record EncryptedField<TRow>(Func<TRow, string?> Get, Action<TRow, string> Set, Func<TRow, string> Context);

/// <summary>What a batch changed, and the fields it could not read (which it left untouched).</summary>
internal sealed record ReEncryptionResult(int RowsChanged, int FieldsChanged, IReadOnlyList<FieldDecryptionException> Failures);

/// <summary>
/// Re-encrypts a batch of loaded rows under the current key, for the rotation job that walks a table in batches
/// and saves each one. A row is changed only when every one of its fields could be read: a row with one
/// unreadable field keeps all its old values and is reported, so the job can log it and go on without losing data.
/// </summary>
internal static class ReEncryptionBatch
{
    public static ReEncryptionResult Apply<TRow>(FieldCipher cipher, IEnumerable<TRow> rows, IReadOnlyList<EncryptedField<TRow>> fields)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(fields);
        var rowsChanged = 0;
        var fieldsChanged = 0;
        var failures = new List<FieldDecryptionException>();
        var updated = new string?[fields.Count];
        foreach (var row in rows)
        {
            Array.Clear(updated);
            var changes = 0;
            try
            {
                for (var i = 0; i < fields.Count; i++)
                {
                    if (fields[i].Get(row) is { } value && cipher.NeedsReEncryption(value))
                    {
                        updated[i] = cipher.ReEncrypt(value, fields[i].Context(row));
                        changes++;
                    }
                }
            }
            catch (FieldDecryptionException failure)
            {
                failures.Add(failure);
                continue;
            }

            for (var i = 0; i < fields.Count; i++)
            {
                if (updated[i] is { } value)
                {
                    fields[i].Set(row, value);
                }
            }

            rowsChanged += changes > 0 ? 1 : 0;
            fieldsChanged += changes;
        }

        return new ReEncryptionResult(rowsChanged, fieldsChanged, failures);
    }
}
