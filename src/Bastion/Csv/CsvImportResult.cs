namespace Bastion.Csv;

/// <summary>A problem in an imported file. <see cref="Line"/> is the 1-based line where the record starts (the header is line 1); <see cref="Field"/> is null for a whole-row problem.</summary>
public sealed record CsvImportError(int Line, string? Field, string Message);

/// <summary>All rows of a file, or none of them and the reasons: the caller writes <see cref="Rows"/> in one transaction.</summary>
public sealed class CsvImportResult<T>
{
    private CsvImportResult(IReadOnlyList<T> rows, IReadOnlyList<CsvImportError> errors, bool errorsTruncated)
    {
        Rows = rows;
        Errors = errors;
        ErrorsTruncated = errorsTruncated;
    }

    /// <summary>Every data row in file order when the import succeeded; empty otherwise.</summary>
    public IReadOnlyList<T> Rows { get; }

    public IReadOnlyList<CsvImportError> Errors { get; }

    /// <summary>True when reading stopped at the error limit with more of the file unread.</summary>
    public bool ErrorsTruncated { get; }

    public bool Succeeded => Errors.Count == 0;

    internal static CsvImportResult<T> Success(IReadOnlyList<T> rows) => new(rows, [], false);

    internal static CsvImportResult<T> Failure(IReadOnlyList<CsvImportError> errors, bool truncated) => new([], errors, truncated);
}

/// <summary>A column an import expects; <see cref="Name"/> is matched without regard to case or surrounding spaces.</summary>
public sealed record CsvImportColumn(string Name, bool Required = true);
