using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;

namespace Bastion.Audit;

/// <summary>
/// Queries over <c>audit_log</c>: a WHERE clause of constant fragments for the filters that are set, values as parameters.
/// Sealed personal fields are opened with their owners' keys, read once per query; an erased owner's show as
/// <see cref="AuditFieldCipher.Erased"/>. Every reader of entries (the admin API, exports, the personal-data export) goes
/// through here; the chain verifier does not, since it checks the stored form.
/// </summary>
internal sealed class AuditReader(AuditDatabase database, AuditUserKeys? keys = null) : IAuditReader
{
    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, AuditQuery.MaxPageSize);
        var items = new List<AuditRecord>(pageSize + 1);
        await foreach (var record in ReadAsync(query, pageSize + 1, cancellationToken))
        {
            items.Add(record);
        }

        // One row more than the page was asked for: its presence says there is a next page.
        if (items.Count <= pageSize)
        {
            return new AuditPage(items, null);
        }

        items.RemoveAt(pageSize);
        return new AuditPage(items, items[^1].Seq);
    }

    public IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(query, null, cancellationToken);
    }

    private async IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, int? limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Build(connection, query, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var known = new Dictionary<Guid, byte[]?>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = database.Read(reader);
            if (keys is null)
            {
                yield return record;
                continue;
            }

            foreach (var owner in AuditPersonalFields.SealedOwners(record))
            {
                if (!known.ContainsKey(owner))
                {
                    known[owner] = await keys.ForReadAsync(owner, cancellationToken);
                }
            }

            yield return AuditPersonalFields.Open(record, owner => known.GetValueOrDefault(owner));
        }
    }

    private DbCommand Build(DbConnection connection, AuditQuery query, int? limit)
    {
        var command = AuditDatabase.Command(connection, null, "");
        var where = new List<string>();
        void Filter(string clause, string name, object value)
        {
            where.Add(clause);
            AuditDatabase.AddParameter(command, name, value);
        }

        if (query.Type is not null)
        {
            Filter("type = @type", "@type", query.Type);
        }

        if (query.UserId is { } userId)
        {
            Filter("user_id = @userId", "@userId", database.UserId(userId));
        }

        if (query.From is { } from)
        {
            Filter("occurred_at >= @from", "@from", database.Timestamp(from));
        }

        if (query.To is { } to)
        {
            Filter("occurred_at < @to", "@to", database.Timestamp(to));
        }

        if (query.EntityType is not null)
        {
            Filter("entity_type = @entityType", "@entityType", query.EntityType);
            if (query.EntityId is not null)
            {
                Filter("entity_id = @entityId", "@entityId", query.EntityId);
            }
        }

        if (query.Outcome is { } outcome)
        {
            Filter("outcome = @outcome", "@outcome", AuditEntryBuilder.Name(outcome));
        }

        if (query.Cursor is { } cursor)
        {
            Filter(query.NewestFirst ? "seq < @cursor" : "seq > @cursor", "@cursor", cursor);
        }

        var sql = new StringBuilder("SELECT ").Append(AuditDatabase.Columns).Append(" FROM audit_log");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(query.NewestFirst ? " ORDER BY seq DESC" : " ORDER BY seq");
        if (limit is { } rows)
        {
            sql.Append(" LIMIT @limit");
            AuditDatabase.AddParameter(command, "@limit", rows);
        }

#pragma warning disable CA2100 // Only the constant fragments above; every value is a parameter.
        command.CommandText = sql.ToString();
#pragma warning restore CA2100
        return command;
    }
}
