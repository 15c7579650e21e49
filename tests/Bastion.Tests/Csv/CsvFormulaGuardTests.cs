using Bastion.Csv;

namespace Bastion.Tests.Csv;

public sealed class CsvFormulaGuardTests
{
    [Theory]
    [InlineData("=1")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData("@x")]
    [InlineData("\tx")]
    [InlineData("\rx")]
    [InlineData("\nx")]
    [InlineData("\0x")]
    [InlineData(" =1")]
    [InlineData("\u00A0\u3000+1")]
    [InlineData("\uFF0B1")]
    [InlineData("\uFF201")]
    [InlineData("\uFF0D1")]
    public void NeedsEscape_FormulaStarts_AreDetected(string value) => Assert.True(CsvFormulaGuard.NeedsEscape(value));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("a=1")]
    [InlineData("'=1")]
    [InlineData("1-2")]
    [InlineData("x@example.com")]
    public void NeedsEscape_OrdinaryText_IsLeftAlone(string value) => Assert.False(CsvFormulaGuard.NeedsEscape(value));
}
