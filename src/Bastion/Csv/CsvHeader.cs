namespace Bastion.Csv;

/// <summary>Matches a file's header row against the expected columns.</summary>
internal static class CsvHeader
{
    private const int HeaderLine = 1;
    private const int MaxShownNameLength = 64;

    /// <summary>The expected column's name for each position, or null (with errors added) when the header is not acceptable.</summary>
    public static string[]? Match(IReadOnlyList<string> header, IReadOnlyList<CsvImportColumn> columns, CsvErrorList errors)
    {
        if (header.Count == 0)
        {
            errors.Add(HeaderLine, null, "The file is empty: its first line must name the columns.");
            return null;
        }

        var byName = columns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var names = new string[header.Count];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var valid = true;
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (name.Length == 0)
            {
                errors.Add(HeaderLine, null, $"Column {i + 1} has no name.");
                valid = false;
            }
            else if (!byName.TryGetValue(name, out var column))
            {
                errors.Add(HeaderLine, Shown(name), $"Unknown column '{Shown(name)}'; the columns are: {string.Join(", ", columns.Select(c => c.Name))}.");
                valid = false;
            }
            else if (!seen.Add(column.Name))
            {
                errors.Add(HeaderLine, column.Name, $"Column '{column.Name}' appears more than once.");
                valid = false;
            }
            else
            {
                names[i] = column.Name;
            }
        }

        foreach (var missing in columns.Where(c => c.Required && !seen.Contains(c.Name)))
        {
            errors.Add(HeaderLine, missing.Name, $"Required column '{missing.Name}' is missing.");
            valid = false;
        }

        return valid ? names : null;
    }

    // The name comes from the file: shorten it so one absurd header cannot fill the error response.
    private static string Shown(string name) => name.Length <= MaxShownNameLength ? name : string.Concat(name.AsSpan(0, MaxShownNameLength), "…");
}

/// <summary>Errors of one import, capped.</summary>
internal sealed class CsvErrorList(int capacity)
{
    private readonly List<CsvImportError> _items = [];

    public IReadOnlyList<CsvImportError> Items => _items;

    public int Count => _items.Count;

    public bool IsFull => _items.Count >= capacity;

    public bool Truncated { get; set; }

    public void Add(int line, string? field, string message)
    {
        if (IsFull)
        {
            Truncated = true;
            return;
        }

        _items.Add(new CsvImportError(line, field, message));
    }
}
