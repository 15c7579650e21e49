using System.Text;

namespace Bastion.Uploads;

/// <summary>
/// Whether bytes are plain CSV text: strict UTF-8 (an optional BOM), no NUL and no control characters other than
/// tab, CR and LF, and at least one non-blank line. Text that a browser or another program would treat as something
/// else is refused: a binary signature at the start, markup at the start (HTML, SVG, XML — a browser that sniffs
/// would render it) or a <c>&lt;script</c> anywhere (OWASP File Upload Cheat Sheet, "Content-Type Validation").
/// </summary>
internal static class CsvContent
{
    private const string Script = "<script";

    // Signatures of formats that are text-like enough to be valid UTF-8 at their start.
    private static readonly byte[][] BinarySignatures =
    [
        "%PDF-"u8.ToArray(), "MZ"u8.ToArray(), "\u007FELF"u8.ToArray(), "GIF8"u8.ToArray(),
        "{\\rtf"u8.ToArray(), "%!PS"u8.ToArray(), "#!"u8.ToArray(),
    ];

    public static bool IsValid(Stream content)
    {
        content.Position = 0;
        Span<byte> head = stackalloc byte[8];
        head = head[..content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        foreach (var signature in BinarySignatures)
        {
            if (head.StartsWith(signature))
            {
                return false;
            }
        }

        content.Position = 0;
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[16 * 1024];
        var chars = new char[bytes.Length + 1];
        var state = new ScanState();
        try
        {
            int read;
            do
            {
                read = content.Read(bytes);
                var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: read == 0);
                if (!state.Accept(chars.AsSpan(0, count)))
                {
                    return false;
                }
            }
            while (read > 0);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return state.SawText;
    }

    private sealed class ScanState
    {
        private bool _atStart = true;
        private int _scriptMatched;

        public bool SawText { get; private set; }

        public bool Accept(ReadOnlySpan<char> chunk)
        {
            foreach (var c in chunk)
            {
                if (char.IsControl(c) && c is not ('\t' or '\r' or '\n'))
                {
                    return false;
                }

                if (_atStart && c != '\uFEFF' && !char.IsWhiteSpace(c))
                {
                    _atStart = false;
                    SawText = true;
                    if (c == '<')
                    {
                        return false;
                    }
                }

                // '<' occurs only at the start of the pattern, so a mismatch restarts the match at this character.
                _scriptMatched = char.ToLowerInvariant(c) == Script[_scriptMatched] ? _scriptMatched + 1 : c == '<' ? 1 : 0;
                if (_scriptMatched == Script.Length)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
