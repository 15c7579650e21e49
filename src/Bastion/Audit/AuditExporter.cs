using System.Buffers;
using System.Text.Json;
using Bastion.Csv;

namespace Bastion.Audit;

/// <summary>
/// Streams matching entries as CSV or JSON Lines, in the query's order, holding one buffer
/// in memory whatever the size of the log. CSV text cells go through <see cref="CsvFormulaGuard"/> (by way of
/// <see cref="CsvExporter"/>): user agents and paths come from attackers, and an export is opened in spreadsheets
/// (OWASP "CSV Injection").
/// </summary>
internal sealed class AuditExporter(IAuditReader reader, CsvExporter csv)
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string JsonLinesContentType = "application/jsonl; charset=utf-8";
    private const int FlushThreshold = 16 * 1024;

    private static readonly CsvExportColumn<AuditRecord>[] Columns =
    [
        CsvExportColumn<AuditRecord>.Number<long>("seq", r => r.Seq),
        CsvExportColumn<AuditRecord>.Timestamp("occurred_at", r => r.OccurredAt),
        CsvExportColumn<AuditRecord>.Text("type", r => r.Type),
        CsvExportColumn<AuditRecord>.Text("severity", r => r.Severity),
        CsvExportColumn<AuditRecord>.Text("outcome", r => r.Outcome),
        CsvExportColumn<AuditRecord>.Text("user_id", r => r.UserId?.ToString("D")),
        CsvExportColumn<AuditRecord>.Text("ip_address", r => r.IpAddress),
        CsvExportColumn<AuditRecord>.Text("user_agent", r => r.UserAgent),
        CsvExportColumn<AuditRecord>.Text("resource", r => r.Resource),
        CsvExportColumn<AuditRecord>.Text("action", r => r.Action),
        CsvExportColumn<AuditRecord>.Text("entity_type", r => r.EntityType),
        CsvExportColumn<AuditRecord>.Text("entity_id", r => r.EntityId),
        CsvExportColumn<AuditRecord>.Text("request_id", r => r.RequestId),
        CsvExportColumn<AuditRecord>.Text("changes", r => r.ChangesJson),
        CsvExportColumn<AuditRecord>.Text("details", r => r.DetailsJson),
        CsvExportColumn<AuditRecord>.Text("prev_hash", r => r.PrevHash),
        CsvExportColumn<AuditRecord>.Text("hash", r => r.Hash),
    ];

    public Task WriteCsvAsync(Stream output, AuditQuery query, CancellationToken cancellationToken)
        => csv.WriteAsync(output, Columns, reader.ReadAsync(query, cancellationToken), cancellationToken);

    /// <summary>One JSON object per line, each ending in <c>\n</c> (JSON Lines).</summary>
    public async Task WriteJsonLinesAsync(Stream output, AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold * 2);
        await using var writer = new Utf8JsonWriter(buffer);
        await foreach (var record in reader.ReadAsync(query, cancellationToken))
        {
            AuditRecordJson.Write(writer, record);
            await writer.FlushAsync(cancellationToken);
            writer.Reset();
            buffer.Write("\n"u8);
            if (buffer.WrittenCount >= FlushThreshold)
            {
                await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
                buffer.ResetWrittenCount();
            }
        }

        await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }
}
