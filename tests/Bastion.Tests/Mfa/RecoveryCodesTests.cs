using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Bastion.Mfa;

namespace Bastion.Tests.Mfa;

public sealed partial class RecoveryCodesTests
{
    private readonly RecoveryCodes _codes = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Generate_Default_GivesTenDistinctGroupedCodes()
    {
        var codes = RecoveryCodes.Generate();

        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code => Assert.Matches(GroupedCode(), code));
    }

    [Fact]
    public void Alphabet_Has32UnambiguousSymbols_SoTenSymbolsCarry50Bits()
    {
        Assert.Equal(32, RecoveryCodes.Alphabet.Distinct().Count());
        Assert.DoesNotContain('i', RecoveryCodes.Alphabet);
        Assert.DoesNotContain('l', RecoveryCodes.Alphabet);
        Assert.DoesNotContain('o', RecoveryCodes.Alphabet);
        Assert.DoesNotContain('u', RecoveryCodes.Alphabet);
        Assert.Equal(RecoveryCodes.EntropyBits, RecoveryCodes.SymbolCount * (int)Math.Log2(RecoveryCodes.Alphabet.Length));
        Assert.True(RecoveryCodes.EntropyBits >= 50);
    }

    [Fact]
    public void Generate_ManyCodes_UsesEverySymbolAboutEqually()
    {
        var counts = new Dictionary<char, int>();
        for (var i = 0; i < 40; i++)
        {
            foreach (var c in RecoveryCodes.Generate(50).SelectMany(code => code.Replace("-", "", StringComparison.Ordinal)))
            {
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }
        }

        // 20,000 symbols: 625 expected per symbol, standard deviation about 25.
        Assert.Equal(32, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, 500, 750));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public void Generate_CountOutOfRange_Throws(int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RecoveryCodes.Generate(count));
    }

    [Theory]
    [InlineData("7hq2m-x9c4d", "7hq2mx9c4d")]
    [InlineData("7HQ2M-X9C4D", "7hq2mx9c4d")]
    [InlineData(" 7hq2m x9c4d ", "7hq2mx9c4d")]
    [InlineData("7h-q2-mx-9c-4d", "7hq2mx9c4d")]
    [InlineData("7hq2mx9c4d", "7hq2mx9c4d")]
    [InlineData("iLoO1-23456", "1100123456")]
    public void Normalize_TypedVariants_GiveCanonicalCode(string input, string expected)
    {
        Assert.Equal(expected, RecoveryCodes.Normalize(input));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("7hq2m-x9c4")]
    [InlineData("7hq2m-x9c4dd")]
    [InlineData("7hq2m-x9c4u")]
    [InlineData("7hq2m_x9c4d")]
    [InlineData("7hq2m-x9c4\u0130")]
    public void Normalize_NotACode_GivesNull(string? input)
    {
        Assert.Null(RecoveryCodes.Normalize(input));
    }

    [Fact]
    public void TryConsume_CodeAsTyped_RemovesOnlyThatCode()
    {
        var codes = RecoveryCodes.Generate();
        var stored = _codes.Protect("alice", codes);

        Assert.True(_codes.TryConsume("alice", stored, " " + codes[3].ToUpperInvariant(), out var remaining));
        Assert.Equal(9, RecoveryCodes.CountRemaining(remaining));
        Assert.False(_codes.Verify("alice", remaining, codes[3]));
        Assert.All(codes.Where((_, i) => i != 3), code => Assert.True(_codes.Verify("alice", remaining, code)));
    }

    [Fact]
    public void TryConsume_SameCodeTwice_SecondIsRefused()
    {
        var codes = RecoveryCodes.Generate();
        var stored = _codes.Protect("alice", codes);

        Assert.True(_codes.TryConsume("alice", stored, codes[0], out var remaining));
        Assert.False(_codes.TryConsume("alice", remaining, codes[0], out var unchanged));
        Assert.Null(unchanged);
    }

    [Fact]
    public void TryConsume_EveryCode_LeavesAnEmptySet()
    {
        var codes = RecoveryCodes.Generate(3);
        var stored = _codes.Protect("alice", codes);
        foreach (var code in codes)
        {
            Assert.True(_codes.TryConsume("alice", stored, code, out var remaining));
            stored = remaining;
        }

        Assert.Equal(0, RecoveryCodes.CountRemaining(stored));
        Assert.False(_codes.Verify("alice", stored, codes[0]));
    }

    [Fact]
    public void Verify_SetCopiedToAnotherUser_MatchesNothing()
    {
        var codes = RecoveryCodes.Generate();
        var stored = _codes.Protect("alice", codes);

        Assert.All(codes, code => Assert.False(_codes.Verify("bob", stored, code)));
    }

    [Fact]
    public void Verify_WithAnotherKey_MatchesNothing()
    {
        var codes = RecoveryCodes.Generate();
        var stored = _codes.Protect("alice", codes);
        var otherKey = new RecoveryCodes(RandomNumberGenerator.GetBytes(32));

        Assert.False(otherKey.Verify("alice", stored, codes[0]));
    }

    [Fact]
    public void Protect_StoredSet_HoldsNoCodeAndUsesAFreshSalt()
    {
        var codes = RecoveryCodes.Generate();
        var first = _codes.Protect("alice", codes);
        var second = _codes.Protect("alice", codes);

        Assert.StartsWith("r1.", first, StringComparison.Ordinal);
        Assert.All(codes, code => Assert.DoesNotContain(RecoveryCodes.Normalize(code)!, first, StringComparison.OrdinalIgnoreCase));
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("")]
    [InlineData("r1")]
    [InlineData("r2.AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("r1.AAAA")]
    [InlineData("r1.AAAAAAAAAAAAAAAAAAAAAA.AAAA")]
    public void Verify_MalformedStoredSet_Throws(string stored)
    {
        Assert.Throws<FormatException>(() => _codes.Verify("alice", stored, "7hq2m-x9c4d"));
    }

    [Fact]
    public void Verify_WrongOrMalformedCode_IsRefused()
    {
        var stored = _codes.Protect("alice", RecoveryCodes.Generate());

        Assert.False(_codes.Verify("alice", stored, "zzzzz-zzzzz"));
        Assert.False(_codes.Verify("alice", stored, "not a code"));
        Assert.False(_codes.Verify("alice", stored, null));
    }

    [Fact]
    public void Constructor_KeyShorterThan256Bits_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RecoveryCodes(new byte[31]));
    }

    [GeneratedRegex("^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$")]
    private static partial Regex GroupedCode();
}
