using Microsoft.Extensions.Options;

namespace Bastion.Csv;

/// <summary>CSV import and export limits (<c>Bastion:Csv</c>).</summary>
public sealed class CsvOptions
{
    /// <summary>The most data rows one import accepts; a longer file is refused whole.</summary>
    public int MaxImportRows { get; set; } = 10_000;

    /// <summary>How many row errors an import collects before it stops reading: enough to fix a file, not a flood.</summary>
    public int MaxImportErrors { get; set; } = 100;

    /// <summary>The longest record, in bytes, an import buffers: an unclosed quote cannot make the reader hold the whole input.</summary>
    public int MaxRecordBytes { get; set; } = 1024 * 1024;

    /// <summary>Start exports with a UTF-8 byte order mark, without which Excel reads UTF-8 as the local code page.</summary>
    public bool ExportByteOrderMark { get; set; } = true;
}

internal sealed class CsvOptionsValidator : IValidateOptions<CsvOptions>
{
    public ValidateOptionsResult Validate(string? name, CsvOptions options)
    {
        var failures = new List<string>();
        if (options.MaxImportRows < 1)
        {
            failures.Add("Bastion:Csv:MaxImportRows must be at least 1.");
        }

        if (options.MaxImportErrors < 1)
        {
            failures.Add("Bastion:Csv:MaxImportErrors must be at least 1.");
        }

        if (options.MaxRecordBytes < 1024)
        {
            failures.Add("Bastion:Csv:MaxRecordBytes must be at least 1024.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
