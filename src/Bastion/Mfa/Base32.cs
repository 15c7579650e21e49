using System.Diagnostics.CodeAnalysis;

namespace Bastion.Mfa;

/// <summary>
/// Base32 with the RFC 4648 §6 alphabet (A–Z, 2–7), the form authenticator apps take a TOTP secret in. Output has no
/// padding, as the Key Uri Format asks; input may be padded or not and in either case.
/// </summary>
public static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Encodes <paramref name="data"/> without '=' padding.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        // Each 5 bits become one character; a last partial group is padded with zero bits (RFC 4648 §6).
        var output = new char[((data.Length * 8) + 4) / 5];
        int buffer = 0, bits = 0, index = 0;
        foreach (var value in data)
        {
            buffer = (buffer << 8) | value;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                output[index++] = Alphabet[(buffer >> bits) & 0x1f];
            }

            buffer &= (1 << bits) - 1;
        }

        if (bits > 0)
        {
            output[index] = Alphabet[(buffer << (5 - bits)) & 0x1f];
        }

        return new string(output);
    }

    /// <summary>Decodes Base32 text.</summary>
    /// <exception cref="FormatException">The text is not canonical Base32.</exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryDecode(text, out var bytes) ? bytes : throw new FormatException("The value is not valid Base32 (RFC 4648 §6).");
    }

    /// <summary>
    /// Decodes Base32 text, case-insensitively, with or without padding. Refuses characters outside the alphabet,
    /// lengths no encoder produces, and non-zero bits after the last byte (RFC 4648 §3.5), so two different texts
    /// never decode to the same secret apart from case and padding.
    /// </summary>
    public static bool TryDecode(string? text, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text is null)
        {
            return false;
        }

        var unpadded = text.AsSpan().TrimEnd('=');
        var padded = unpadded.Length != text.Length;
        if ((padded && text.Length % 8 != 0) || unpadded.Length % 8 is 1 or 3 or 6)
        {
            return false;
        }

        var result = new byte[unpadded.Length * 5 / 8];
        int buffer = 0, bits = 0, index = 0;
        foreach (var c in unpadded)
        {
            var value = ValueOf(c);
            if (value < 0)
            {
                return false;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                result[index++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }

        if (buffer != 0)
        {
            return false;
        }

        bytes = result;
        return true;
    }

    private static int ValueOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a',
        >= '2' and <= '7' => c - '2' + 26,
        _ => -1,
    };
}
