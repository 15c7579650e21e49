using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Bastion.Encryption;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Encryption;

public sealed class BlindIndexTests
{
    private const string Purpose = "equipment.serialNumber";

    private readonly TestKeys _keys = new();

    [Fact]
    public void Compute_SameValueAndPurpose_IsDeterministicAcrossInstances()
        => Assert.Equal(_keys.BlindIndex().Compute("SN-0042", Purpose), _keys.BlindIndex().Compute("SN-0042", Purpose));

    [Fact]
    public void Compute_DifferentPurposes_GiveDifferentIndexes()
    {
        var index = _keys.BlindIndex();

        Assert.NotEqual(index.Compute("SN-0042", Purpose), index.Compute("SN-0042", "equipment.assetTag"));
    }

    [Fact]
    public void Compute_DifferentKeys_GiveDifferentIndexes()
        => Assert.NotEqual(_keys.BlindIndex().Compute("SN-0042", Purpose), new TestKeys().BlindIndex().Compute("SN-0042", Purpose));

    [Fact]
    public void Compute_DifferentValues_GiveDifferentIndexes()
    {
        var index = _keys.BlindIndex();

        Assert.NotEqual(index.Compute("SN-0042", Purpose), index.Compute("SN-0043", Purpose));
    }

    [Fact]
    public void Compute_IsExact_SoCallersNormaliseFirst()
    {
        var index = _keys.BlindIndex();

        Assert.NotEqual(index.Compute("SN-0042", Purpose), index.Compute("sn-0042", Purpose));
        Assert.Equal(index.Compute("SN-0042", Purpose), index.Compute(" sn-0042 ".Trim().ToUpperInvariant(), Purpose));
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("SN-0042")]
    [InlineData("a much longer serial number that goes on and on and on and on and on and on and on")]
    public void Compute_OutputIsFixedLengthBase64Url_WhateverTheValueLength(string value)
    {
        var result = _keys.BlindIndex().Compute(value, Purpose);

        Assert.Equal(BlindIndex.Length, result.Length);
        Assert.Equal(32, Base64Url.DecodeFromChars(result).Length);
        Assert.All(result, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }

    [Fact]
    public void Compute_DoesNotContainTheValue()
        => Assert.DoesNotContain("SN-0042", _keys.BlindIndex().Compute("SN-0042", Purpose), StringComparison.Ordinal);

    [Fact]
    public void Compute_IsHmacSha256OfPurposeNulValue()
    {
        var key = Convert.FromBase64String(_keys.BlindIndexKey);
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Purpose + "\0" + "Größe-42"));

        Assert.Equal(Base64Url.EncodeToString(expected), _keys.BlindIndex().Compute("Größe-42", Purpose));
    }

    [Fact]
    public void Compute_PurposeAndValueBoundariesCannotBeShifted()
    {
        var index = _keys.BlindIndex();

        Assert.NotEqual(index.Compute("bc", "a"), index.Compute("c", "ab"));
        Assert.NotEqual(index.Compute("b", "a"), index.Compute("", "ab"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("equipment\0serialNumber")]
    public void Compute_EmptyOrNulPurpose_Throws(string purpose)
        => Assert.ThrowsAny<ArgumentException>(() => _keys.BlindIndex().Compute("SN-0042", purpose));

    [Fact]
    public void Constructor_WithoutAKey_Throws()
        => Assert.Throws<InvalidOperationException>(() => new BlindIndex(Options.Create(new FieldEncryptionOptions())));

    [Fact]
    public void Compute_UnderALaterVersion_NamesTheVersionAndDiffersFromVersionOne()
    {
        var rotated = _keys.BlindIndex(current: 2).Compute("SN-0042", Purpose);
        var original = _keys.BlindIndex().Compute("SN-0042", Purpose);

        Assert.StartsWith("i2:", rotated, StringComparison.Ordinal);
        Assert.NotEqual(original, rotated[3..]);
        Assert.Equal(2, BlindIndex.VersionOf(rotated));
        Assert.Equal(1, BlindIndex.VersionOf(original));
        Assert.Null(BlindIndex.VersionOf("v2:not-an-index"));
    }

    [Fact]
    public void Candidates_DuringAnIndexRotation_HoldEveryVersionWithTheCurrentFirst()
    {
        var candidates = _keys.BlindIndex(current: 2).Candidates("SN-0042", Purpose);

        Assert.Equal([_keys.BlindIndex(current: 2).Compute("SN-0042", Purpose), _keys.BlindIndex().Compute("SN-0042", Purpose)], candidates);
        Assert.Single(_keys.BlindIndex().Candidates("SN-0042", Purpose));
    }
}
