using Bastion.Encryption;

namespace Bastion.Tests.Encryption;

public sealed class FieldCipherTests
{
    private const string Context = "equipment.serialNumber:42";

    private readonly TestKeys _keys = new();

    [Theory]
    [InlineData("")]
    [InlineData("SN-0042-XZ")]
    [InlineData("1234.50")]
    [InlineData("Größe ✓ 日本語 🔐")]
    public void Encrypt_ThenDecrypt_ReturnsThePlaintext(string plaintext)
    {
        var cipher = _keys.Cipher(1);

        Assert.Equal(plaintext, cipher.Decrypt(cipher.Encrypt(plaintext, Context), Context));
    }

    [Fact]
    public void Encrypt_ThenDecrypt_LongValueBeyondTheStackBuffer_ReturnsThePlaintext()
    {
        var cipher = _keys.Cipher(1);
        var notes = string.Concat(Enumerable.Repeat("Calibrated; seal replaced. ", 2000));

        Assert.Equal(notes, cipher.Decrypt(cipher.Encrypt(notes, Context), Context));
    }

    [Fact]
    public void Encrypt_SamePlaintextTwice_GivesDifferentValues()
    {
        var cipher = _keys.Cipher(1);

        Assert.NotEqual(cipher.Encrypt("SN-0042", Context), cipher.Encrypt("SN-0042", Context));
    }

    [Fact]
    public void Encrypt_WritesVersionPrefixAndNonceCiphertextTag()
    {
        var cipher = _keys.Cipher(2);

        var value = cipher.Encrypt("SN-0042", Context);

        Assert.StartsWith("v2:", value, StringComparison.Ordinal);
        Assert.Equal(12 + "SN-0042".Length + 16, Convert.FromBase64String(value[3..]).Length);
        Assert.DoesNotContain("SN-0042", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypt_LoneSurrogate_ThrowsRatherThanStoringAnAlteredValue()
    {
        var cipher = _keys.Cipher(1);

        Assert.ThrowsAny<ArgumentException>(() => cipher.Encrypt("SN\uD800", Context));
    }

    [Fact]
    public void Decrypt_AnyAlteredByte_ThrowsNotAuthentic()
    {
        var cipher = _keys.Cipher(1);
        var value = cipher.Encrypt("SN-0042", Context);
        var sealedValue = Convert.FromBase64String(value[3..]);

        // Every byte of nonce, ciphertext and tag; tampering is done on the bytes, since base64 text has a few
        // spellings of the same bytes (the unused low bits of the last character).
        for (var i = 0; i < sealedValue.Length; i++)
        {
            var altered = (byte[])sealedValue.Clone();
            altered[i] ^= 0x01;

            var error = Assert.Throws<FieldDecryptionException>(() => cipher.Decrypt("v1:" + Convert.ToBase64String(altered), Context));
            Assert.Equal(FieldDecryptionFailure.NotAuthentic, error.Reason);
        }
    }

    [Fact]
    public void Decrypt_TruncatedOrExtendedValue_Throws()
    {
        var cipher = _keys.Cipher(1);
        var sealedValue = Convert.FromBase64String(cipher.Encrypt("SN-0042", Context)[3..]);

        Assert.Throws<FieldDecryptionException>(() => cipher.Decrypt("v1:" + Convert.ToBase64String(sealedValue[..^1]), Context));
        Assert.Throws<FieldDecryptionException>(() => cipher.Decrypt("v1:" + Convert.ToBase64String([.. sealedValue, 0]), Context));
    }

    [Theory]
    [InlineData("equipment.serialNumber:43")]
    [InlineData("equipment.notes:42")]
    [InlineData("equipment.serialNumber:42 ")]
    [InlineData("")]
    public void Decrypt_WithAnotherContext_ThrowsNotAuthentic(string otherContext)
    {
        var cipher = _keys.Cipher(1);
        var value = cipher.Encrypt("SN-0042", Context);

        var error = Assert.Throws<FieldDecryptionException>(() => cipher.Decrypt(value, otherContext));

        Assert.Equal(FieldDecryptionFailure.NotAuthentic, error.Reason);
        Assert.Equal(otherContext, error.Context);
    }

    [Fact]
    public void Decrypt_Failure_MessageNamesContextAndVersionButNotTheValue()
    {
        var cipher = _keys.Cipher(1);
        var value = cipher.Encrypt("SN-SECRET-0042", Context);

        var error = Assert.Throws<FieldDecryptionException>(() => cipher.Decrypt(value, "equipment.serialNumber:43"));

        Assert.Contains("equipment.serialNumber:43", error.Message, StringComparison.Ordinal);
        Assert.Contains("key version 1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SN-SECRET", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value[3..], error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, error.KeyVersion);
    }

    [Fact]
    public void Decrypt_ValueWrittenUnderOlderVersion_AfterCurrentVersionMovesOn_ReturnsThePlaintext()
    {
        var before = _keys.Cipher(1, 1);
        var stored = before.Encrypt("SN-0042", Context);

        var after = _keys.Cipher(2, 1, 2);

        Assert.Equal("SN-0042", after.Decrypt(stored, Context));
        Assert.StartsWith("v2:", after.Encrypt("SN-0042", Context), StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_UnknownVersion_ThrowsNamingTheVersionAndTheSetting()
    {
        var stored = _keys.Cipher(3).Encrypt("SN-0042", Context);
        var cipher = _keys.Cipher(2, 1, 2);

        var error = Assert.Throws<FieldDecryptionException>(() => cipher.Decrypt(stored, Context));

        Assert.Equal(FieldDecryptionFailure.UnknownKeyVersion, error.Reason);
        Assert.Equal(3, error.KeyVersion);
        Assert.Contains("key version 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bastion:Encryption:Keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_SameVersionWithAChangedKey_ThrowsNotAuthentic()
    {
        var stored = _keys.Cipher(1).Encrypt("SN-0042", Context);
        var replaced = new TestKeys().Cipher(1);

        Assert.Equal(FieldDecryptionFailure.NotAuthentic, Assert.Throws<FieldDecryptionException>(() => replaced.Decrypt(stored, Context)).Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SN-0042")]
    [InlineData("v")]
    [InlineData("v1")]
    [InlineData("v:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("v01:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("v-1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("V1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("v1234567890:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("v1:")]
    [InlineData("v1:AAAA")]
    [InlineData("v1:not base64 at all, not at all!!!!!!!!!")]
    public void Decrypt_MalformedValue_ThrowsMalformed(string value)
    {
        var cipher = _keys.Cipher(1);

        Assert.Equal(FieldDecryptionFailure.Malformed, Assert.Throws<FieldDecryptionException>(() => cipher.Decrypt(value, Context)).Reason);
    }

    [Fact]
    public void Constructor_CurrentVersionWithoutAKey_Throws()
        => Assert.Throws<InvalidOperationException>(() => _keys.Cipher(3, 1, 2));

    [Fact]
    public void VersionOf_ReadsThePrefix()
    {
        Assert.Equal(1, FieldCipher.VersionOf(_keys.Cipher(1).Encrypt("x", Context)));
        Assert.Equal(3, FieldCipher.VersionOf(_keys.Cipher(3).Encrypt("x", Context)));
        Assert.Equal(123, FieldCipher.VersionOf("v123:AAAA"));
        Assert.Throws<FieldDecryptionException>(() => FieldCipher.VersionOf("plaintext"));
    }

    [Fact]
    public void NeedsReEncryption_IsTrueOnlyForOtherVersions()
    {
        var old = _keys.Cipher(1).Encrypt("x", Context);
        var cipher = _keys.Cipher(2);

        Assert.True(cipher.NeedsReEncryption(old));
        Assert.False(cipher.NeedsReEncryption(cipher.Encrypt("x", Context)));
        Assert.True(cipher.NeedsReEncryption(_keys.Cipher(3).Encrypt("x", Context)));
    }

    [Fact]
    public void ReEncrypt_OlderVersion_KeepsThePlaintextUnderTheCurrentVersion()
    {
        var old = _keys.Cipher(1).Encrypt("1234.50", Context);
        var cipher = _keys.Cipher(2);

        var renewed = cipher.ReEncrypt(old, Context);

        Assert.Equal(2, FieldCipher.VersionOf(renewed));
        Assert.Equal("1234.50", cipher.Decrypt(renewed, Context));
        Assert.False(cipher.NeedsReEncryption(renewed));
    }

    [Fact]
    public void ReEncrypt_CurrentVersion_ReturnsTheSameValue()
    {
        var cipher = _keys.Cipher(2);
        var current = cipher.Encrypt("SN-0042", Context);

        Assert.Same(current, cipher.ReEncrypt(current, Context));
    }

    [Fact]
    public void ReEncrypt_WithAnotherContext_ThrowsInsteadOfRebinding()
    {
        var old = _keys.Cipher(1).Encrypt("SN-0042", Context);

        Assert.Throws<FieldDecryptionException>(() => _keys.Cipher(2).ReEncrypt(old, "equipment.serialNumber:43"));
    }
}
