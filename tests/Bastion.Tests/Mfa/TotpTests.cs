using System.Text;
using Bastion.Mfa;

namespace Bastion.Tests.Mfa;

public sealed class TotpTests
{
    // RFC 6238 Appendix B seeds as the RFC errata correct them: ASCII digits repeated to 20, 32 and 64 bytes.
    private static readonly byte[] Sha1Seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Seed = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    // RFC 6238 Appendix B: time, T (hex), and the 8-digit code for each algorithm.
    public static TheoryData<TotpAlgorithm, long, long, string> Rfc6238Vectors => new()
    {
        { TotpAlgorithm.Sha1, 59, 0x1, "94287082" },
        { TotpAlgorithm.Sha256, 59, 0x1, "46119246" },
        { TotpAlgorithm.Sha512, 59, 0x1, "90693936" },
        { TotpAlgorithm.Sha1, 1111111109, 0x23523EC, "07081804" },
        { TotpAlgorithm.Sha256, 1111111109, 0x23523EC, "68084774" },
        { TotpAlgorithm.Sha512, 1111111109, 0x23523EC, "25091201" },
        { TotpAlgorithm.Sha1, 1111111111, 0x23523ED, "14050471" },
        { TotpAlgorithm.Sha256, 1111111111, 0x23523ED, "67062674" },
        { TotpAlgorithm.Sha512, 1111111111, 0x23523ED, "99943326" },
        { TotpAlgorithm.Sha1, 1234567890, 0x273EF07, "89005924" },
        { TotpAlgorithm.Sha256, 1234567890, 0x273EF07, "91819424" },
        { TotpAlgorithm.Sha512, 1234567890, 0x273EF07, "93441116" },
        { TotpAlgorithm.Sha1, 2000000000, 0x3F940AA, "69279037" },
        { TotpAlgorithm.Sha256, 2000000000, 0x3F940AA, "90698825" },
        { TotpAlgorithm.Sha512, 2000000000, 0x3F940AA, "38618901" },
        { TotpAlgorithm.Sha1, 20000000000, 0x27BC86AA, "65353130" },
        { TotpAlgorithm.Sha256, 20000000000, 0x27BC86AA, "77737706" },
        { TotpAlgorithm.Sha512, 20000000000, 0x27BC86AA, "47863826" },
    };

    [Theory]
    [MemberData(nameof(Rfc6238Vectors))]
    public void Compute_Rfc6238AppendixBVector_MatchesExpectedCode(TotpAlgorithm algorithm, long unixTime, long step, string expected)
    {
        var totp = new Totp(algorithm, digits: 8);
        var time = DateTimeOffset.FromUnixTimeSeconds(unixTime);

        Assert.Equal(step, Totp.GetTimeStep(time));
        Assert.Equal(expected, totp.Compute(Seed(algorithm), time));
    }

    [Theory]
    [MemberData(nameof(Rfc6238Vectors))]
    public void Verify_Rfc6238AppendixBVector_ReturnsItsTimeStep(TotpAlgorithm algorithm, long unixTime, long step, string expected)
    {
        var totp = new Totp(algorithm, digits: 8);

        Assert.Equal(step, totp.Verify(Seed(algorithm), expected, DateTimeOffset.FromUnixTimeSeconds(unixTime), window: 0));
    }

    // RFC 4226 Appendix D: HOTP values for counters 0 to 9 with the 20-byte ASCII secret.
    [Theory]
    [InlineData(0, "755224")]
    [InlineData(1, "287082")]
    [InlineData(2, "359152")]
    [InlineData(3, "969429")]
    [InlineData(4, "338314")]
    [InlineData(5, "254676")]
    [InlineData(6, "287922")]
    [InlineData(7, "162583")]
    [InlineData(8, "399871")]
    [InlineData(9, "520489")]
    public void Compute_Rfc4226AppendixDCounter_MatchesHotpValue(long counter, string expected)
    {
        Assert.Equal(expected, new Totp().Compute(Sha1Seed, counter));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Verify_CodeOneStepAway_IsAcceptedWithItsStep(int offset)
    {
        var totp = new Totp();
        var step = Totp.GetTimeStep(Now) + offset;

        Assert.Equal(step, totp.Verify(Sha1Seed, totp.Compute(Sha1Seed, step), Now));
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    public void Verify_CodeTwoStepsAway_IsRefusedWithDefaultWindow(int offset)
    {
        var totp = new Totp();
        var code = totp.Compute(Sha1Seed, Totp.GetTimeStep(Now) + offset);

        Assert.Null(totp.Verify(Sha1Seed, code, Now));
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    public void Verify_CodeTwoStepsAway_IsAcceptedWithWindowTwo(int offset)
    {
        var totp = new Totp();
        var step = Totp.GetTimeStep(Now) + offset;

        Assert.Equal(step, totp.Verify(Sha1Seed, totp.Compute(Sha1Seed, step), Now, window: 2));
    }

    [Fact]
    public void Verify_WindowZero_AcceptsOnlyTheCurrentStep()
    {
        var totp = new Totp();
        var step = Totp.GetTimeStep(Now);

        Assert.Equal(step, totp.Verify(Sha1Seed, totp.Compute(Sha1Seed, step), Now, window: 0));
        Assert.Null(totp.Verify(Sha1Seed, totp.Compute(Sha1Seed, step - 1), Now, window: 0));
        Assert.Null(totp.Verify(Sha1Seed, totp.Compute(Sha1Seed, step + 1), Now, window: 0));
    }

    [Fact]
    public void Verify_CodeWithLeadingZero_IsAccepted()
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(1111111109);

        Assert.NotNull(new Totp(TotpAlgorithm.Sha1, 8).Verify(Sha1Seed, "07081804", time, window: 0));
        Assert.Null(new Totp(TotpAlgorithm.Sha1, 8).Verify(Sha1Seed, "7081804", time, window: 0));
    }

    [Fact]
    public void Verify_WrongSecret_IsRefused()
    {
        var totp = new Totp();
        var code = totp.Compute(Sha1Seed, Now);

        Assert.Null(totp.Verify(Sha256Seed, code, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{0} ")]
    [InlineData(" {0}")]
    [InlineData("{0}0")]
    [InlineData("+{0}")]
    [InlineData("abcdef")]
    [InlineData("12 456")]
    public void Verify_CodeNotExactlySixAsciiDigits_IsRefusedWithoutThrowing(string? pattern)
    {
        var totp = new Totp();
        var code = pattern is null ? null : string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, totp.Compute(Sha1Seed, Now));

        Assert.Null(totp.Verify(Sha1Seed, code, Now));
    }

    [Fact]
    public void Verify_CurrentCodeInOtherScriptsDigits_IsRefused()
    {
        var totp = new Totp();
        var code = totp.Compute(Sha1Seed, Now);
        var arabicIndic = new string(code.Select(c => (char)('\u0660' + (c - '0'))).ToArray());
        var fullWidth = new string(code.Select(c => (char)('\uFF10' + (c - '0'))).ToArray());

        Assert.Null(totp.Verify(Sha1Seed, arabicIndic, Now));
        Assert.Null(totp.Verify(Sha1Seed, fullWidth, Now));
    }

    [Fact]
    public void Verify_SixDigitCodeForEightDigitVerifier_IsRefused()
    {
        var code = new Totp(TotpAlgorithm.Sha1, 8).Compute(Sha1Seed, Now);

        Assert.Null(new Totp(TotpAlgorithm.Sha1, 8).Verify(Sha1Seed, code[2..], Now));
    }

    [Fact]
    public void Compute_SecretShorterThan128Bits_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Totp().Compute(new byte[15], 0));
        Assert.Throws<ArgumentException>(() => new Totp().Verify(new byte[15], "123456", Now));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(9)]
    public void Constructor_DigitsOutsideSixToEight_Throws(int digits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Totp(TotpAlgorithm.Sha1, digits));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void Verify_WindowOutsideZeroToTwo_Throws(int window)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Totp().Verify(Sha1Seed, "123456", Now, window));
    }

    [Fact]
    public void Generate_NewSecret_Is160RandomBits()
    {
        var first = TotpSecret.Generate();
        var second = TotpSecret.Generate();

        Assert.Equal(20, first.Length);
        Assert.NotEqual(first, second);
    }

    private static byte[] Seed(TotpAlgorithm algorithm) => algorithm switch
    {
        TotpAlgorithm.Sha1 => Sha1Seed,
        TotpAlgorithm.Sha256 => Sha256Seed,
        _ => Sha512Seed,
    };
}
