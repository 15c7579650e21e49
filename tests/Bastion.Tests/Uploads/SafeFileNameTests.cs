using Bastion.Uploads;

namespace Bastion.Tests.Uploads;

public sealed class SafeFileNameTests
{
    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("../../etc/passwd.csv", "passwd.csv")]
    [InlineData("..\\..\\Windows\\win.ini.csv", "win.ini.csv")]
    [InlineData("C:\\Users\\ada\\Photo.JPG", "Photo.jpg")]
    [InlineData("  quarterly \t\r\n  report  .pdf", "quarterly report.pdf")]
    [InlineData("...hidden.png", "hidden.png")]
    [InlineData("evil.pdf. . .", "evil.pdf")]
    [InlineData("a<b>c:d\"e|f?g*h.csv", "a_b_c_d_e_f_g_h.csv")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("zero\u200Bwidth\u2066isolate\u2069.pdf", "zerowidthisolate.pdf")]
    [InlineData("nul\0byte.pdf", "nulbyte.pdf")]
    [InlineData("CON.pdf", "_CON.pdf")]
    [InlineData("lpt1.tar.csv", "_lpt1.tar.csv")]
    [InlineData("aux .pdf", "_aux.pdf")]
    [InlineData("Console.pdf", "Console.pdf")]
    [InlineData("", "file")]
    [InlineData("../", "file")]
    [InlineData(".pdf", "pdf")]
    [InlineData("e\u0301te\u0301.csv", "\u00e9t\u00e9.csv")]
    public void Sanitize_ProducesADisplaySafeName(string input, string expected) => Assert.Equal(expected, SafeFileName.Sanitize(input));

    [Fact]
    public void Sanitize_Null_ReturnsFallback() => Assert.Equal("file", SafeFileName.Sanitize(null));

    [Fact]
    public void Sanitize_VeryLongName_KeepsTheExtensionWithin100Characters()
    {
        var name = SafeFileName.Sanitize(new string('x', 5000) + ".PDF");
        Assert.Equal(SafeFileName.MaxLength, name.Length);
        Assert.EndsWith("x.pdf", name, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_LongNameOfSurrogatePairs_DoesNotSplitAPair()
    {
        var name = SafeFileName.Sanitize(string.Concat(Enumerable.Repeat("\U0001F600", 80)) + ".png");
        Assert.True(name.Length <= SafeFileName.MaxLength);
        Assert.False(char.IsHighSurrogate(name[^5]));
        Assert.EndsWith(".png", name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invoice.pdf.exe", ".exe")]
    [InlineData("invoice.exe.pdf", ".pdf")]
    [InlineData("photo.JPeG", ".jpeg")]
    [InlineData("archive", "")]
    [InlineData("trailing.", "")]
    [InlineData("version 2. final", "")]
    [InlineData("stream.pdf__$DATA", "")]
    [InlineData(".bashrc", "")]
    public void Extension_IsTheLastExtension(string fileName, string expected) => Assert.Equal(expected, SafeFileName.Extension(fileName));
}
