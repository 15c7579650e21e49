using System.Buffers.Binary;

namespace Bastion.Uploads;

/// <summary>
/// Walks the chunks of a PNG (ISO/IEC 15948, PNG §5): IHDR first, at least one IDAT, and IEND as the last bytes of
/// the file, so nothing can be appended after the image. Chunk CRCs are not verified: they guard against
/// transmission errors, not against a crafted file.
/// </summary>
internal static class PngStructure
{
    // "Pixel flood": a tiny file that declares a huge canvas exhausts memory in whatever decodes it later.
    internal const long MaxPixels = 100_000_000;

    private const int SignatureLength = 8;

    public static bool IsValid(Stream content)
    {
        content.Position = SignatureLength;
        Span<byte> header = stackalloc byte[8];
        var first = true;
        var sawData = false;
        while (content.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = header[4..];
            var end = content.Position + length + 4;
            if (length > int.MaxValue || !IsChunkType(type) || end > content.Length)
            {
                return false;
            }

            var isHeader = type.SequenceEqual("IHDR"u8);
            if (first != isHeader || (isHeader && (length != 13 || !HasSaneDimensions(content))))
            {
                return false;
            }

            first = false;
            sawData |= type.SequenceEqual("IDAT"u8);
            if (type.SequenceEqual("IEND"u8))
            {
                return length == 0 && sawData && end == content.Length;
            }

            content.Position = end;
        }

        return false;
    }

    private static bool IsChunkType(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasSaneDimensions(Stream content)
    {
        Span<byte> dimensions = stackalloc byte[8];
        content.ReadExactly(dimensions);
        var width = BinaryPrimitives.ReadUInt32BigEndian(dimensions);
        var height = BinaryPrimitives.ReadUInt32BigEndian(dimensions[4..]);
        return width is > 0 and <= int.MaxValue && height is > 0 and <= int.MaxValue && (long)width * height <= MaxPixels;
    }
}
