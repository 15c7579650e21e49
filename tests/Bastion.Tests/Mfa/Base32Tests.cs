using System.Security.Cryptography;
using System.Text;
using Bastion.Mfa;

namespace Bastion.Tests.Mfa;

public sealed class Base32Tests
{
    // RFC 4648 §10 test vectors, without the padding the Key Uri Format leaves out.
    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY")]
    [InlineData("fo", "MZXQ")]
    [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Encode_Rfc4648Vector_MatchesWithoutPadding(string input, string expected)
    {
        Assert.Equal(expected, Base32.Encode(Encoding.ASCII.GetBytes(input)));
    }

    [Theory]
    [InlineData("f", "MY======")]
    [InlineData("fo", "MZXQ====")]
    [InlineData("foo", "MZXW6===")]
    [InlineData("foob", "MZXW6YQ=")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI======")]
    public void Decode_Rfc4648VectorPaddedUnpaddedOrLowercase_GivesInput(string expected, string encoded)
    {
        Assert.Equal(expected, Encoding.ASCII.GetString(Base32.Decode(encoded)));
        Assert.Equal(expected, Encoding.ASCII.GetString(Base32.Decode(encoded.TrimEnd('='))));
        Assert.Equal(expected, Encoding.ASCII.GetString(Base32.Decode(encoded.ToLowerInvariant())));
    }

    [Fact]
    public void Encode_Rfc6238Sha1Seed_MatchesKnownSecret()
    {
        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Base32.Encode("12345678901234567890"u8));
    }

    [Fact]
    public void EncodeThenDecode_EveryLengthUpTo64Bytes_RoundTrips()
    {
        for (var length = 0; length <= 64; length++)
        {
            var data = RandomNumberGenerator.GetBytes(length);
            var encoded = Base32.Encode(data);

            Assert.DoesNotContain('=', encoded);
            Assert.Equal(data, Base32.Decode(encoded));
        }
    }

    [Theory]
    [InlineData("M")]
    [InlineData("MZX")]
    [InlineData("MZXW6Y")]
    [InlineData("MY=")]
    [InlineData("MY1")]
    [InlineData("MY8")]
    [InlineData("M Y")]
    [InlineData("MZ")]
    [InlineData("MY======MY")]
    public void TryDecode_NotCanonicalBase32_IsRefused(string text)
    {
        Assert.False(Base32.TryDecode(text, out _));
        Assert.Throws<FormatException>(() => Base32.Decode(text));
    }

    [Fact]
    public void TryDecode_Null_IsRefused()
    {
        Assert.False(Base32.TryDecode(null, out _));
    }
}
