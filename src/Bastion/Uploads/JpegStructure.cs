namespace Bastion.Uploads;

/// <summary>
/// Walks the markers of a JPEG (ITU-T T.81 Annex B): segments by their lengths, entropy-coded data up to the next
/// marker, and EOI as the last bytes of the file. Thumbnails inside APP segments are skipped with their segment,
/// so the EOI found is the image's own, and anything after it (an appended archive or executable) is refused.
/// </summary>
internal static class JpegStructure
{
    private const int EndOfImage = 0xD9;
    private const int StartOfImage = 0xD8;
    private const int StartOfScan = 0xDA;

    public static bool IsValid(Stream content)
    {
        content.Position = 2;
        var sawFrame = false;
        var sawScan = false;
        var marker = NextMarker(content);
        while (true)
        {
            switch (marker)
            {
                case -1 or 0x00 or StartOfImage:
                    return false;
                case EndOfImage:
                    return sawFrame && sawScan && content.Position == content.Length;
                case 0x01 or (>= 0xD0 and <= 0xD7):
                    // TEM and RSTn stand alone, without a length.
                    marker = NextMarker(content);
                    continue;
            }

            var length = ReadUInt16(content);
            var end = content.Position + length - 2;
            if (length < 2 || end > content.Length)
            {
                return false;
            }

            if (IsStartOfFrame(marker))
            {
                if (!HasSaneDimensions(content, length))
                {
                    return false;
                }

                sawFrame = true;
            }

            content.Position = end;
            if (marker == StartOfScan)
            {
                if (!sawFrame)
                {
                    return false;
                }

                sawScan = true;
                marker = SkipEntropyCodedData(content);
            }
            else
            {
                marker = NextMarker(content);
            }
        }
    }

    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    private static bool IsStartOfFrame(int marker) => marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);

    private static bool HasSaneDimensions(Stream content, int length)
    {
        if (length < 8)
        {
            return false;
        }

        content.ReadByte(); // sample precision
        var height = ReadUInt16(content);
        var width = ReadUInt16(content);
        return height > 0 && width > 0 && (long)height * width <= PngStructure.MaxPixels;
    }

    /// <summary>Reads 0xFF, any fill bytes (more 0xFF) and returns the marker code; -1 when the bytes are not a marker.</summary>
    private static int NextMarker(Stream content)
    {
        if (content.ReadByte() != 0xFF)
        {
            return -1;
        }

        int code;
        while ((code = content.ReadByte()) == 0xFF)
        {
        }

        return code;
    }

    /// <summary>Skips scan data: 0xFF 0x00 is an escaped data byte and RSTn markers belong to the scan.</summary>
    private static int SkipEntropyCodedData(Stream content)
    {
        while (true)
        {
            var b = content.ReadByte();
            if (b == -1)
            {
                return -1;
            }

            if (b != 0xFF)
            {
                continue;
            }

            while ((b = content.ReadByte()) == 0xFF)
            {
            }

            if (b is not (0x00 or (>= 0xD0 and <= 0xD7)))
            {
                return b;
            }
        }
    }

    private static int ReadUInt16(Stream content)
    {
        var high = content.ReadByte();
        var low = content.ReadByte();
        return high < 0 || low < 0 ? -1 : (high << 8) | low;
    }
}
