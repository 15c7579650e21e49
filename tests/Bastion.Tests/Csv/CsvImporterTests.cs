using System.Text;
using Bastion.Csv;
using Bastion.Validation;

namespace Bastion.Tests.Csv;

public sealed class CsvImporterTests
{
    private static readonly CsvImportColumn[] Columns = [new("Email"), new("Name"), new("Team", Required: false)];

    [Fact]
    public async Task Import_ValidFile_ReturnsEveryRowInOrder()
    {
        var result = await ImportAsync("email,name,team\r\nada@example.com,Ada,Analytics\r\ngrace@example.com,Grace,\r\n");

        Assert.True(result.Succeeded);
        Assert.Equal([new Person("ada@example.com", "Ada", "Analytics", 2), new Person("grace@example.com", "Grace", "", 3)], result.Rows);
    }

    [Fact]
    public async Task Import_HeaderMatchesWithoutCaseOrSurroundingSpaces_AndOptionalColumnMayBeAbsent()
    {
        var result = await ImportAsync(" NAME , EMAIL\nAda,ada@example.com\n");
        Assert.True(result.Succeeded);
        Assert.Equal(new Person("ada@example.com", "Ada", null, 2), Assert.Single(result.Rows));
    }

    [Fact]
    public async Task Import_ByteOrderMark_IsNotPartOfTheFirstColumnName()
    {
        var result = await ImportAsync(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("email,name\nada@example.com,Ada\n")).ToArray());
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task Import_QuotedFieldsWithNewlinesCommasAndQuotes_AreRead_AndLineNumbersCountPhysicalLines()
    {
        var result = await ImportAsync("email,name\r\nada@example.com,\"Ada\r\nKing, \"\"Countess\"\"\"\r\nnot-an-email,Grace\r\n");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(new CsvImportError(4, "email", "E-mail is not valid."), error);

        var valid = await ImportAsync("email,name\nada@example.com,\"Ada\nKing, \"\"Countess\"\"\"\n");
        Assert.Equal("Ada\nKing, \"Countess\"", Assert.Single(valid.Rows).Name);
    }

    [Fact]
    public async Task Import_OneInvalidRow_ReturnsNoRowsAndEveryErrorWithItsLine()
    {
        var result = await ImportAsync("email,name\nada@example.com,Ada\nbad,\n\ngrace@example.com,Grace\nworse,X\n");

        Assert.Empty(result.Rows);
        Assert.Equal(
            [new CsvImportError(3, "email", "E-mail is not valid."), new CsvImportError(3, "name", "Name is required."), new CsvImportError(6, "email", "E-mail is not valid.")],
            result.Errors);
    }

    [Fact]
    public async Task Import_UnknownColumn_IsRefusedByName()
    {
        var result = await ImportAsync("email,name,role\nada@example.com,Ada,super_admin\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Line);
        Assert.Equal("role", error.Field);
        Assert.Contains("Unknown column 'role'", error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public async Task Import_MissingRequiredColumnAndDuplicateColumn_AreRefused()
    {
        var missing = await ImportAsync("email\nada@example.com\n");
        Assert.Equal(new CsvImportError(1, "Name", "Required column 'Name' is missing."), Assert.Single(missing.Errors));

        var duplicate = await ImportAsync("email,name,EMAIL\nada@example.com,Ada,x\n");
        Assert.Equal(new CsvImportError(1, "Email", "Column 'Email' appears more than once."), Assert.Single(duplicate.Errors));
    }

    [Fact]
    public async Task Import_EmptyFile_IsRefused()
    {
        var result = await ImportAsync("");
        Assert.Equal(1, Assert.Single(result.Errors).Line);
    }

    [Fact]
    public async Task Import_HeaderOnly_SucceedsWithNoRows()
    {
        var result = await ImportAsync("email,name\r\n");
        Assert.True(result.Succeeded);
        Assert.Empty(result.Rows);
    }

    [Theory]
    [InlineData("email,name\nada@example.com,Ada\n\"grace@example.com,Grace\nx@example.com,X\n", 3, "never closed")]
    [InlineData("email,name\nada@example.com,Ada\ngr\"ace@example.com,Grace\n", 3, "quote inside an unquoted field")]
    [InlineData("email,name\nada@example.com,Ada\n\"grace@example.com\"x,Grace\n", 3, "after the closing quote")]
    [InlineData("email,name\nada@example.com,Ada\r\ngrace@example.com,Grace,extra\r\n", 3, "2 fields")]
    [InlineData("email,name\nada@example.com\n", 2, "2 fields")]
    public async Task Import_MalformedCsv_IsRefusedWithTheLine(string csv, int line, string message)
    {
        var result = await ImportAsync(csv);
        Assert.Empty(result.Rows);
        var error = Assert.Single(result.Errors);
        Assert.Equal(line, error.Line);
        Assert.Null(error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_SemicolonSeparatedFile_IsNotGuessed()
    {
        var result = await ImportAsync("email;name\nada@example.com;Ada\n");
        Assert.Equal("Unknown column 'email;name'; the columns are: Email, Name, Team.", result.Errors[0].Message);
    }

    [Fact]
    public async Task Import_InvalidUtf8_IsRefused()
    {
        var bytes = Encoding.UTF8.GetBytes("email,name\nada@example.com,Ada\nbob@example.com,B").Concat(new byte[] { 0xE9, (byte)'\n' }).ToArray();
        var result = await ImportAsync(bytes);
        Assert.Equal(3, Assert.Single(result.Errors).Line);
    }

    [Fact]
    public async Task Import_MoreRowsThanTheLimit_IsRefused()
    {
        var result = await ImportAsync("email,name\na@example.com,A\nb@example.com,B\nc@example.com,C\nd@example.com,D\n", new CsvOptions { MaxImportRows = 3 });
        Assert.Empty(result.Rows);
        var error = Assert.Single(result.Errors);
        Assert.Equal(5, error.Line);
        Assert.Contains("more than 3 rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ExactlyTheRowLimit_Succeeds()
    {
        var result = await ImportAsync("email,name\na@example.com,A\nb@example.com,B\n", new CsvOptions { MaxImportRows = 2 });
        Assert.Equal(2, result.Rows.Count);
    }

    [Fact]
    public async Task Import_ManyInvalidRows_StopsAtTheErrorLimit()
    {
        var csv = "email,name\n" + string.Concat(Enumerable.Repeat("bad,X\n", 500));
        var rowsSeen = 0;
        var importer = new CsvImporter<Person>(Columns, (line, fields, errors) => { rowsSeen++; return MapPerson(line, fields, errors); }, new CsvOptions());

        var result = await importer.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None);

        Assert.Equal(100, result.Errors.Count);
        Assert.True(result.ErrorsTruncated);
        Assert.Equal(101, result.Errors[^1].Line);
        Assert.Equal(100, rowsSeen);
    }

    [Fact]
    public async Task Import_RecordLongerThanTheLimit_IsRefused()
    {
        var csv = "email,name\n\"" + new string('x', 300_000);
        var result = await ImportAsync(csv, new CsvOptions { MaxRecordBytes = 64 * 1024 });
        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("not valid CSV", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_RowRefusedWithoutAFieldError_GetsARowError()
    {
        var importer = new CsvImporter<Person>(Columns, (_, _, _) => null, new CsvOptions());
        var result = await importer.ImportAsync(new MemoryStream("email,name\na@example.com,A\n"u8.ToArray()), CancellationToken.None);
        Assert.Equal(new CsvImportError(2, null, "The row was not accepted."), Assert.Single(result.Errors));
    }

    private static Task<CsvImportResult<Person>> ImportAsync(string csv, CsvOptions? options = null)
        => ImportAsync(Encoding.UTF8.GetBytes(csv), options);

    private static Task<CsvImportResult<Person>> ImportAsync(byte[] csv, CsvOptions? options = null)
        => new CsvImporter<Person>(Columns, MapPerson, options ?? new CsvOptions()).ImportAsync(new MemoryStream(csv), CancellationToken.None);

    private static Person? MapPerson(int line, IReadOnlyDictionary<string, string> fields, FieldErrors errors)
    {
        var email = fields["email"];
        var name = fields["Name"];
        if (!email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("email", "E-mail is not valid.");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add("name", "Name is required.");
        }

        return errors.IsEmpty ? new Person(email, name, fields.GetValueOrDefault("team"), line) : null;
    }

    internal sealed record Person(string Email, string Name, string? Team, int Line);
}
