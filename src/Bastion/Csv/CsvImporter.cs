using System.Text.Unicode;
using Bastion.Validation;
using CsvHelper;

namespace Bastion.Csv;

/// <summary>
/// Reads an RFC 4180 CSV file (comma-separated, UTF-8 with or without BOM, CRLF or LF, quoted fields that may hold
/// line breaks) record by record, checks the header against the expected columns and hands each row to
/// <c>mapRow</c>. Rows are returned only when the whole file is valid: a half-imported file is harder to repair
/// than a refused one.
/// </summary>
public sealed class CsvImporter<T>
    where T : class
{
    private readonly IReadOnlyList<CsvImportColumn> _columns;
    private readonly Func<int, IReadOnlyDictionary<string, string>, FieldErrors, T?> _mapRow;
    private readonly CsvOptions _options;

    /// <param name="columns">The columns the file may have; unknown columns are refused, not ignored, so a misspelt optional column is noticed.</param>
    /// <param name="mapRow">
    /// Validates one row — its line, its fields by column name (case-insensitive; absent optional columns are
    /// missing) — and returns the row, or adds to the errors (or returns null) to refuse it.
    /// </param>
    /// <param name="options">The limits.</param>
    public CsvImporter(IEnumerable<CsvImportColumn> columns, Func<int, IReadOnlyDictionary<string, string>, FieldErrors, T?> mapRow, CsvOptions options)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = [.. columns];
        _mapRow = mapRow ?? throw new ArgumentNullException(nameof(mapRow));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    public async Task<CsvImportResult<T>> ImportAsync(Stream input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new CsvErrorList(_options.MaxImportErrors);
        var rows = new List<T>();
        var expectedFields = 0;
        var readerOptions = CsvReaderOptions.Default with
        {
            // A fixed separator: detecting it from untrusted input could read a file in a way its author did not mean.
            Separator = ',',
            DetectSeparatorHint = false,
            HasHeader = true,
            Mode = CsvMode.Rfc4180,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            MaxRecordSize = _options.MaxRecordBytes,
            IncludeValuesInExceptions = false,
            OnMalformedRecord = record => errors.Add((int)record.LineNumber, null, Describe(record.Reason, expectedFields)),
        };

        await using var reader = CsvReader.Create(input, readerOptions, leaveOpen: true);
        var line = 1;
        try
        {
            await reader.ReadHeaderAsync(cancellationToken);
            var names = CsvHeader.Match(reader.Headers, _columns, errors);
            if (names is null)
            {
                return CsvImportResult<T>.Failure(errors.Items, truncated: false);
            }

            expectedFields = names.Length;
            var count = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                line = (int)reader.LineNumber;
                if (errors.IsFull)
                {
                    errors.Truncated = true;
                    break;
                }

                if (++count > _options.MaxImportRows)
                {
                    errors.Add(line, null, $"The file has more than {_options.MaxImportRows} rows; split it into smaller files.");
                    break;
                }

                var row = MapRow(reader, names, line, errors);
                if (row is not null && errors.Count == 0)
                {
                    rows.Add(row);
                }
            }
        }
        catch (CsvFormatException exception)
        {
            // Raised for a record over MaxRecordBytes or a malformed header; reading cannot go on after either.
            errors.Add(exception.LineNumber > 0 ? (int)exception.LineNumber : line, null, $"The file is not valid CSV: {exception.Message}");
        }

        return errors.Count == 0 ? CsvImportResult<T>.Success(rows) : CsvImportResult<T>.Failure(errors.Items, errors.Truncated);
    }

    private T? MapRow(CsvReader reader, string[] names, int line, CsvErrorList errors)
    {
        // The reader replaces invalid UTF-8 with U+FFFD; a file in another encoding is refused rather than imported garbled.
        if (!Utf8.IsValid(reader.RawRecord))
        {
            errors.Add(line, null, "The row is not valid UTF-8 text; save the file as CSV UTF-8.");
            return null;
        }

        var fields = new Dictionary<string, string>(names.Length, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Length; i++)
        {
            fields[names[i]] = reader.GetString(i) ?? string.Empty;
        }

        var fieldErrors = new FieldErrors();
        var row = _mapRow(line, fields, fieldErrors);
        foreach (var (field, messages) in fieldErrors.ToDictionary())
        {
            foreach (var message in messages)
            {
                errors.Add(line, field, message);
            }
        }

        if (!fieldErrors.IsEmpty)
        {
            return null;
        }

        if (row is null)
        {
            errors.Add(line, null, "The row was not accepted.");
        }

        return row;
    }

    private static string Describe(CsvMalformedReason reason, int expectedFields) => reason switch
    {
        CsvMalformedReason.UnterminatedQuote => "A quoted field is never closed: every field that starts with \" must end with \" (RFC 4180 §2.5).",
        CsvMalformedReason.StrayQuote => "A quote inside an unquoted field: quote the whole field and double the quote (RFC 4180 §2.7).",
        CsvMalformedReason.TextAfterClosingQuote => "Text after the closing quote of a field: quote the whole field and double inner quotes (RFC 4180 §2.7).",
        CsvMalformedReason.FieldCountMismatch => $"The row does not have the header's {expectedFields} fields (RFC 4180 §2.4).",
        _ => "The row is not valid CSV.",
    };
}
