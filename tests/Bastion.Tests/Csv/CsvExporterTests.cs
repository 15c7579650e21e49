using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using Bastion.Csv;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Csv;

public sealed class CsvExporterTests
{
    private static readonly CsvExportColumn<Item>[] Columns =
    [
        CsvExportColumn<Item>.Text("Name", i => i.Name),
        CsvExportColumn<Item>.Number("Amount", i => i.Amount),
        CsvExportColumn<Item>.Number("Count", i => i.Count),
        CsvExportColumn<Item>.Timestamp("Created", i => i.Created),
    ];

    [Theory]
    [InlineData("=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\"")]
    [InlineData("@SUM(1+1)", "\"'@SUM(1+1)\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-1+1", "\"'-1+1\"")]
    [InlineData("\t=1", "\"'\t=1\"")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("  =HYPERLINK(\"http://evil.example\")", "\"'  =HYPERLINK(\"\"http://evil.example\"\")\"")]
    [InlineData("\uFF1D1+1", "\"'\uFF1D1+1\"")]
    [InlineData("=1,=2", "\"'=1,=2\"")]
    public async Task Export_FormulaInATextCell_IsPrefixedAndQuoted(string value, string expectedCell)
    {
        var csv = await ExportAsync([new Item(value, null, null, null)]);
        Assert.Equal($"Name,Amount,Count,Created\r\n{expectedCell},,,\r\n", csv);
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("1-2", "1-2")]
    [InlineData("x=1", "x=1")]
    [InlineData("", "")]
    public async Task Export_OrdinaryText_IsWrittenAsRfc4180(string value, string expectedCell)
    {
        var csv = await ExportAsync([new Item(value, null, null, null)]);
        Assert.Equal($"Name,Amount,Count,Created\r\n{expectedCell},,,\r\n", csv);
    }

    [Fact]
    public async Task Export_NumbersAndTimestamps_AreNotPrefixed()
    {
        var created = new DateTimeOffset(2025, 3, 9, 8, 30, 0, TimeSpan.Zero);
        var csv = await ExportAsync([new Item("Refund", -12.5m, -3, created)]);
        Assert.Equal("Name,Amount,Count,Created\r\nRefund,-12.5,-3,2025-03-09T08:30:00.0000000+00:00\r\n", csv);
    }

    [Fact]
    public async Task Export_HeaderCells_AreNeutralisedToo()
    {
        var columns = new[] { CsvExportColumn<Item>.Text("=Name", i => i.Name) };
        var csv = await ExportAsync([new Item("a", null, null, null)], columns);
        Assert.StartsWith("\"'=Name\"\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_StartsWithAByteOrderMarkUnlessDisabled()
    {
        using var withBom = new MemoryStream();
        await new CsvExporter(Options.Create(new CsvOptions())).WriteAsync(withBom, Columns, new[] { new Item("a", 1, 1, null) }, CancellationToken.None);
        Assert.Equal(Encoding.UTF8.GetPreamble(), withBom.ToArray()[..3]);

        using var withoutBom = new MemoryStream();
        await new CsvExporter(Options.Create(new CsvOptions { ExportByteOrderMark = false })).WriteAsync(withoutBom, Columns, new[] { new Item("a", 1, 1, null) }, CancellationToken.None);
        Assert.Equal((byte)'N', withoutBom.ToArray()[0]);
    }

    [Fact]
    public async Task Export_ThenImport_RoundTripsTheValues()
    {
        Item[] items = [new("Ada, \"Countess\"\nof Lovelace", 1.5m, 2, null), new("=1+1", -3m, 0, null), new("Zoë", 0m, -7, null)];
        var bytes = Encoding.UTF8.GetBytes(await ExportAsync(items));

        var importer = new CsvImporter<Item>(
            [new("Name"), new("Amount"), new("Count"), new("Created")],
            (_, fields, _) => new Item(fields["Name"], decimal.Parse(fields["Amount"], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields["Count"], System.Globalization.CultureInfo.InvariantCulture), null),
            new CsvOptions());
        var result = await importer.ImportAsync(new MemoryStream(bytes), CancellationToken.None);

        // The neutralised cell comes back with its quote: the price of keeping it inert in a spreadsheet.
        Assert.True(result.Succeeded);
        Assert.Equal([items[0], items[1] with { Name = "'=1+1" }, items[2]], result.Rows);
    }

    [Fact]
    public async Task Export_WritesToTheStreamBeforeTheLastRowIsProduced()
    {
        using var output = new MemoryStream();
        var exporter = new CsvExporter(Options.Create(new CsvOptions()));
        await exporter.WriteAsync(output, Columns, Rows(output, 50_000), CancellationToken.None);
        Assert.True(output.Length > 1_000_000);

        static async IAsyncEnumerable<Item> Rows(MemoryStream output, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var i = 0; i < count; i++)
            {
                if (i == count - 1)
                {
                    // Most of the export has left the writer before the source is finished: it is not buffered whole.
                    Assert.True(output.Length > 500_000, $"only {output.Length} bytes written before the last row");
                }

                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                yield return new Item($"row {i}", i, i, null);
            }
        }
    }

    [Fact]
    public async Task Export_ToAPipeWriter_ProducesTheSameBytes()
    {
        var pipe = new Pipe();
        var exporter = new CsvExporter(Options.Create(new CsvOptions()));
        var writing = Task.Run(async () =>
        {
            await exporter.WriteAsync(pipe.Writer, Columns, Async([new Item("@x", 1, 2, null)]), CancellationToken.None);
            await pipe.Writer.CompleteAsync();
        });

        using var received = new MemoryStream();
        await pipe.Reader.CopyToAsync(received);
        await writing;
        Assert.Equal("\uFEFFName,Amount,Count,Created\r\n\"'@x\",1,2,\r\n", Encoding.UTF8.GetString(received.ToArray()));
    }

    private static async Task<string> ExportAsync(IEnumerable<Item> items, IReadOnlyList<CsvExportColumn<Item>>? columns = null)
    {
        using var output = new MemoryStream();
        var exporter = new CsvExporter(Options.Create(new CsvOptions { ExportByteOrderMark = false }));
        await exporter.WriteAsync(output, columns ?? Columns, items, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static async IAsyncEnumerable<Item> Async(IEnumerable<Item> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }

    internal sealed record Item(string Name, decimal? Amount, int? Count, DateTimeOffset? Created);
}
