using System.Xml;
using System.Xml.Linq;
using Bastion.Mfa;

namespace Bastion.Tests.Mfa;

public sealed class OtpQrCodeTests
{
    private static readonly string Uri = OtpAuthUri.Build("Bastion", "alice@example.com", TotpSecret.Generate());

    [Fact]
    public void RenderPng_EnrolmentUri_StartsWithPngSignature()
    {
        var png = OtpQrCode.RenderPng(Uri);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.True(png.Length > 100);
    }

    [Fact]
    public void RenderSvg_EnrolmentUri_ParsesAsSvgXml()
    {
        var svg = OtpQrCode.RenderSvg(Uri);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(svg), settings);

        var document = XDocument.Load(reader);

        Assert.Equal("svg", document.Root!.Name.LocalName);
        Assert.NotEmpty(document.Root.Descendants());
    }

    [Fact]
    public void RenderPng_EmptyUri_Throws()
    {
        Assert.Throws<ArgumentException>(() => OtpQrCode.RenderPng(""));
    }
}
