using QRCoder;

namespace Bastion.Mfa;

/// <summary>
/// Renders an <see cref="OtpAuthUri"/> as a QR code for enrolment, at error-correction level M (about 15 % of the
/// symbol recoverable), which keeps a ~120-character URI at a size phone cameras read easily.
/// </summary>
/// <remarks>
/// The image carries the shared secret: serve it with <c>Cache-Control: no-store</c>, only to the signed-in user
/// during enrolment, and never log or persist it.
/// </remarks>
public static class OtpQrCode
{
    /// <summary>Pixels per QR module by default: a ~41-module symbol plus quiet zone becomes about 250 px square.</summary>
    public const int DefaultPixelsPerModule = 5;

    /// <summary>The QR code as a PNG image.</summary>
    public static byte[] RenderPng(string uri, int pixelsPerModule = DefaultPixelsPerModule)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pixelsPerModule);
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(pixelsPerModule);
    }

    /// <summary>The QR code as an SVG document, which scales without blurring and can be inlined in a page.</summary>
    public static string RenderSvg(string uri, int pixelsPerModule = DefaultPixelsPerModule)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pixelsPerModule);
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(pixelsPerModule);
    }
}
