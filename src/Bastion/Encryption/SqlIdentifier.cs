namespace Bastion.Encryption;

/// <summary>Table and column names that go into SQL text: lower-case snake_case only, so that none can carry SQL.</summary>
internal static class SqlIdentifier
{
    private const int MaxLength = 63;

    public static string Require(string? name, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameter);
        if (name.Length > MaxLength || !char.IsAsciiLetterLower(name[0]) || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{name}' is not a lower-case snake_case SQL identifier of at most {MaxLength} characters.", parameter);
        }

        return name;
    }
}
