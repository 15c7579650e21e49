using System.Buffers;
using CsvHelper;

namespace Bastion.Csv;

/// <summary>
/// Neutralises spreadsheet formulas in text cells (OWASP "CSV Injection"; ASVS 5.0 V1.2.10): a cell that starts
/// with <c>= + - @</c>, tab or CR — OWASP's list — or with LF or NUL (ASVS adds NUL), or with the full-width forms
/// of = + - @ that some spreadsheet applications convert, gets a leading <c>'</c>, which spreadsheets read as
/// "this cell is text", and is quoted. The same applies when those characters follow leading whitespace, since
/// several importers trim cells before deciding whether they are formulas. A field separator or quote inside a
/// value cannot start a new cell: the writer quotes such fields per RFC 4180 §2.6–2.7. Numbers and dates that the
/// exporter formats itself are not text and are written as they are, so -5 stays a number.
/// </summary>
internal static class CsvFormulaGuard
{
    private static readonly SearchValues<char> Triggers = SearchValues.Create("=+-@\t\r\n\0\uFF1D\uFF0B\uFF0D\uFF20");

    public static bool NeedsEscape(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        if (Triggers.Contains(value[0]))
        {
            return true;
        }

        var firstVisible = value.IndexOfAnyExcept(Whitespace);
        return firstVisible > 0 && Triggers.Contains(value[firstVisible]);
    }

    public static void WriteText(CsvWriter writer, string? value)
    {
        if (value is not null && NeedsEscape(value))
        {
            writer.WriteField("'" + value, CsvQuoting.Always);
        }
        else
        {
            writer.WriteField(value);
        }
    }

    private static readonly SearchValues<char> Whitespace = SearchValues.Create(" \t\r\n\v\f\u00A0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000");
}
