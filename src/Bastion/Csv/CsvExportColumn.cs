using System.Numerics;
using CsvHelper;

namespace Bastion.Csv;

/// <summary>A column of an export: its header and how a row's cell is written.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "Factories read best on the column type: CsvExportColumn<Equipment>.Text(...).")]
public sealed class CsvExportColumn<T>
{
    private CsvExportColumn(string header, Action<CsvWriter, T> write)
    {
        Header = header;
        Write = write;
    }

    public string Header { get; }

    internal Action<CsvWriter, T> Write { get; }

    /// <summary>A text cell, neutralised against formula injection (<see cref="CsvFormulaGuard"/>).</summary>
    public static CsvExportColumn<T> Text(string header, Func<T, string?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(header, (writer, row) => CsvFormulaGuard.WriteText(writer, value(row)));
    }

    /// <summary>A number, written in invariant culture; its sign is data, not a formula, so it is not prefixed.</summary>
    public static CsvExportColumn<T> Number<TNumber>(string header, Func<T, TNumber?> value)
        where TNumber : struct, INumberBase<TNumber>
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(header, (writer, row) => writer.WriteField(value(row), default));
    }

    /// <summary>A point in time in ISO 8601 round-trip form (it always starts with a digit).</summary>
    public static CsvExportColumn<T> Timestamp(string header, Func<T, DateTimeOffset?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(header, (writer, row) => writer.WriteField(value(row), default));
    }
}
