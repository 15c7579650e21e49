using System.Globalization;
using System.IO.Pipelines;
using CsvHelper;
using Microsoft.Extensions.Options;

namespace Bastion.Csv;

/// <summary>
/// Writes rows as RFC 4180 CSV (comma, CRLF, quotes where needed) straight to the response: records go out as the
/// writer's buffer fills, so an export of any size holds only one buffer in memory. Every text cell, the header
/// included, passes through <see cref="CsvFormulaGuard"/>.
/// </summary>
public sealed class CsvExporter(IOptions<CsvOptions> options)
{
    public async Task WriteAsync<T>(Stream output, IReadOnlyList<CsvExportColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var writer = await StartAsync(output, columns, cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await WriteRowAsync(writer, columns, row, cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
    }

    public async Task WriteAsync<T>(Stream output, IReadOnlyList<CsvExportColumn<T>> columns, IEnumerable<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var writer = await StartAsync(output, columns, cancellationToken);
        foreach (var row in rows)
        {
            await WriteRowAsync(writer, columns, row, cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>Writes to a pipe, such as <c>HttpResponse.BodyWriter</c>.</summary>
    public async Task WriteAsync<T>(PipeWriter output, IReadOnlyList<CsvExportColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var stream = output.AsStream(leaveOpen: true);
        await WriteAsync(stream, columns, rows, cancellationToken);
    }

    private async Task<CsvWriter> StartAsync<T>(Stream output, IReadOnlyList<CsvExportColumn<T>> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ArgumentException("An export needs at least one column.", nameof(columns));
        }

        var writer = CsvWriter.Create(output, CsvWriterOptions.Default with
        {
            Mode = CsvMode.Rfc4180,
            Separator = ',',
            NewLine = "\r\n",
            Quoting = CsvQuoting.WhenNeeded,
            FormatProvider = CultureInfo.InvariantCulture,
            WriteByteOrderMark = options.Value.ExportByteOrderMark,

            // CsvFormulaGuard neutralises text cells; CsvHelper's own guard would not cover leading whitespace, LF or NUL.
            Injection = CsvInjection.None,
        }, leaveOpen: true);
        try
        {
            foreach (var column in columns)
            {
                CsvFormulaGuard.WriteText(writer, column.Header);
            }

            await writer.EndRecordAsync(cancellationToken);
            return writer;
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    private static async Task WriteRowAsync<T>(CsvWriter writer, IReadOnlyList<CsvExportColumn<T>> columns, T row, CancellationToken cancellationToken)
    {
        foreach (var column in columns)
        {
            column.Write(writer, row);
        }

        await writer.EndRecordAsync(cancellationToken);
    }
}
