using System.Data.Common;
using Bastion.Audit;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bastion.Encryption;

/// <summary>
/// Reads and rewrites encrypted columns with plain SQL on Bastion's database, where library and host tables live side
/// by side. Names come from <see cref="EncryptedColumn"/> (checked identifiers); every value travels as a parameter.
/// </summary>
internal sealed class EncryptedColumnStore(BastionDbContext db, IAuditLog audit) : IEncryptedColumnStore
{
    private DatabaseProvider Provider => DatabaseValues.ProviderOf(db);

    public async Task<IReadOnlyList<EncryptedValue>> ReadAsync(EncryptedColumn column, Guid? after, int limit, CancellationToken cancellationToken)
    {
        var index = column.BlindIndex is { } blind ? blind.Column : "NULL";
        var from = after is null ? "" : $" AND {column.KeyColumn} > @after";
        var values = new List<EncryptedValue>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"SELECT {column.KeyColumn}, {column.CiphertextColumn}, {index} FROM {column.Table} "
                + $"WHERE {column.CiphertextColumn} IS NOT NULL{from} ORDER BY {column.KeyColumn} LIMIT @limit";
            if (after is { } key)
            {
                command.AddParameter("after", Key(key));
            }

            command.AddParameter("limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                values.Add(new EncryptedValue(ReadKey(reader.GetValue(0)), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return values;
    }

    public async Task<IReadOnlyList<RenewedValue>> WriteAsync(
        EncryptedColumn column, IReadOnlyList<RenewedValue> values, Func<IReadOnlyList<RenewedValue>, AuditEvent> auditEvent, CancellationToken cancellationToken)
    {
        var written = new List<RenewedValue>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var value in values)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = UpdateText(column, value);
            command.AddParameter("key", Key(value.Old.Key));
            command.AddParameter("ciphertext", value.Ciphertext);
            command.AddParameter("old", value.Old.Ciphertext);
            if (column.BlindIndex is not null)
            {
                command.AddParameter("index", (object?)value.Index ?? DBNull.Value);
                if (value.Old.Index is { } oldIndex)
                {
                    command.AddParameter("old_index", oldIndex);
                }
            }

            // Optimistic: a row changed since it was read (by its owner, or by the job on another node) is left to
            // that writer, whose value is already under the keys it holds; the next run looks at it again.
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                written.Add(value);
            }
        }

        if (written.Count > 0)
        {
            audit.Stage(db, auditEvent(written));
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    public async Task<(KeyVersionUsage Ciphertexts, KeyVersionUsage? Index)> UsageAsync(EncryptedColumn column, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            var ciphertexts = KeyVersionUsage.From(await PrefixesAsync(connection, column.Table, column.CiphertextColumn, cancellationToken), CiphertextVersion);
            var index = column.BlindIndex is { } blind
                ? KeyVersionUsage.From(await PrefixesAsync(connection, column.Table, blind.Column, cancellationToken), IndexVersion)
                : null;
            return (ciphertexts, index);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string UpdateText(EncryptedColumn column, RenewedValue value)
    {
        var set = $"{column.CiphertextColumn} = @ciphertext";
        var where = $"{column.KeyColumn} = @key AND {column.CiphertextColumn} = @old";
        if (column.BlindIndex is { } blind)
        {
            set += $", {blind.Column} = @index";
            where += value.Old.Index is null ? $" AND {blind.Column} IS NULL" : $" AND {blind.Column} = @old_index";
        }

        return $"UPDATE {column.Table} SET {set} WHERE {where}";
    }

    // One grouped scan per column: the version is the text up to the first ':' (none for a version-1 index value).
    private async Task<List<(string Prefix, long Count)>> PrefixesAsync(DbConnection connection, string table, string column, CancellationToken cancellationToken)
    {
        var position = Provider == DatabaseProvider.Postgres ? $"strpos({column}, ':')" : $"instr({column}, ':')";
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT substr({column}, 1, {position}) AS prefix, count(*) FROM {table} WHERE {column} IS NOT NULL GROUP BY substr({column}, 1, {position})";
        var prefixes = new List<(string, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            prefixes.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return prefixes;
    }

    private static int? CiphertextVersion(string prefix)
        => prefix.Length >= 3 && prefix[0] == 'v' && KeyVersion.TryParse(prefix.AsSpan(1, prefix.Length - 2), out var version) ? version : null;

    private static int? IndexVersion(string prefix)
        => prefix.Length == 0 ? 1 : prefix.Length >= 3 && prefix[0] == 'i' && KeyVersion.TryParse(prefix.AsSpan(1, prefix.Length - 2), out var version) ? version : null;

    // Keys travel as every id does: uuid on PostgreSQL, EF Core's upper-case text on SQLite.
    private object Key(Guid key) => DatabaseValues.UserId(Provider, key);

    private static Guid ReadKey(object value) => value is Guid guid ? guid : Guid.Parse((string)value);
}
