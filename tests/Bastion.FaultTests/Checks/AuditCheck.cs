using Bastion.FaultTests.Load;
using Npgsql;

namespace Bastion.FaultTests.Checks;

/// <summary>
/// Compares, straight in PostgreSQL, a phase's equipment rows (found by their name's phase tag) with the audit log's
/// <c>data_modification</c> / <c>create</c> entries for them (<c>entity_type</c> 'equipment', <c>entity_id</c> the row's id).
/// </summary>
internal sealed class AuditCheck(string connectionString)
{
    private const string CreateEntry = "a.type = 'data_modification' AND a.entity_type = 'equipment' AND a.action = 'create'";

    public async Task<AuditResult> CheckAsync(int phase, IReadOnlyList<Guid> acknowledged)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tag = Ledger.PhaseTag(phase) + "%";
        var unaudited = await CountAsync(connection,
            $"SELECT count(*) FROM equipment e WHERE e.name LIKE @tag AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE {CreateEntry} AND a.entity_id = e.id::text)",
            ("tag", tag));
        var duplicates = await CountAsync(connection,
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM equipment WHERE name LIKE @tag GROUP BY name) g WHERE n > 1",
            ("tag", tag));
        var lostFor2xx = await CountAsync(connection,
            $"SELECT count(*) FROM unnest(@ids) AS i(id) WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE {CreateEntry} AND a.entity_id = i.id::text)",
            ("ids", acknowledged.ToArray()));
        // An entry whose change rolled back: the create entry names a row that is not there. Its diff carries the name.
        var withoutChange = await CountAsync(connection,
            $"SELECT count(*) FROM audit_log a WHERE {CreateEntry} AND a.changes LIKE '%' || @prefix || '%' AND NOT EXISTS (SELECT 1 FROM equipment e WHERE e.id::text = a.entity_id)",
            ("prefix", Ledger.PhaseTag(phase)));
        var rows = await CountAsync(connection, "SELECT count(*) FROM equipment WHERE name LIKE @tag", ("tag", tag));
        return new AuditResult(rows, acknowledged.Count, unaudited, lostFor2xx, duplicates, withoutChange);
    }

    private static async Task<int> CountAsync(NpgsqlConnection connection, string sql, (string Name, object Value) parameter)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <param name="Rows">Rows the phase's creates left in the table.</param>
/// <param name="Acknowledged">Creates answered 2xx.</param>
/// <param name="Unaudited">Rows without their create entry.</param>
/// <param name="LostFor2xx">Creates answered 2xx whose entry is missing.</param>
/// <param name="Duplicates">Rows beyond the first with one request's name: made by a retry.</param>
/// <param name="WithoutChange">Create entries whose row is not there.</param>
internal sealed record AuditResult(int Rows, int Acknowledged, int Unaudited, int LostFor2xx, int Duplicates, int WithoutChange);
