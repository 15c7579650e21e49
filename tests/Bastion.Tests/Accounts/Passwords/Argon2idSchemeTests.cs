using System.Text;
using Bastion.Accounts.Passwords;

namespace Bastion.Tests.Accounts.Passwords;

public sealed class Argon2idSchemeTests
{
    // Test vector of the Argon2 reference implementation (phc-winner-argon2, src/test.c): "password", salt "somesalt".
    private const string ReferenceHash = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

    // Computed with libargon2 through argon2-cffi (argon2.low_level.hash_secret, Type.ID, hash_len 32) from the
    // UTF-8 bytes of "pässwörd-Ω" and the salt "saltsaltsaltsalt", with the OWASP parameters m=19456, t=2, p=1.
    private const string NonAsciiHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$RvdnNrxvyOnNI5CpcQEkKWOJVbghkzR3F3HTElf22OU";
    private const string NonAsciiPassword = "p\u00e4ssw\u00f6rd-\u03a9";

    private readonly Argon2idScheme _scheme = new(HasherTestOptions.FastMemoryKiB, iterations: 1);

    [Fact]
    public void Libsodium_OnThisHost_LoadsThroughTheVersionedName()
    {
        Assert.True(Libsodium.IsAvailable);
    }

    [Fact]
    public void Hash_ThenVerify_Succeeds()
    {
        var hash = _scheme.Hash(Utf8("correct horse battery staple"));

        Assert.True(_scheme.Verify(Utf8("correct horse battery staple"), hash));
    }

    [Fact]
    public void Verify_WithWrongPassword_Fails()
    {
        var hash = _scheme.Hash(Utf8("correct horse battery staple"));

        Assert.False(_scheme.Verify(Utf8("correct horse battery stapler"), hash));
    }

    [Fact]
    public void Hash_SamePasswordTwice_GivesDifferentSaltedHashes()
    {
        Assert.NotEqual(_scheme.Hash(Utf8("same password")), _scheme.Hash(Utf8("same password")));
    }

    [Fact]
    public void Hash_EncodesAlgorithmVersionAndParameters()
    {
        var hash = _scheme.Hash(Utf8("correct horse battery staple"));

        Assert.StartsWith("$argon2id$v=19$m=1024,t=1,p=1$", hash, StringComparison.Ordinal);
        Assert.Equal(6, hash.Split('$').Length);
    }

    [Fact]
    public void Verify_ReferenceImplementationVector_Succeeds()
    {
        Assert.True(_scheme.Verify(Utf8("password"), ReferenceHash));
        Assert.False(_scheme.Verify(Utf8("passwore"), ReferenceHash));
    }

    [Fact]
    public void Verify_IndependentVectorOfNonAsciiPassword_SucceedsWithUtf8Bytes()
    {
        Assert.True(_scheme.Verify(Utf8(NonAsciiPassword), NonAsciiHash));
        Assert.False(_scheme.Verify(Encoding.Latin1.GetBytes(NonAsciiPassword), NonAsciiHash));
    }

    [Fact]
    public void NeedsRehash_WithOtherIterationsOrMemory_IsTrue()
    {
        var hash = new Argon2idScheme(HasherTestOptions.FastMemoryKiB, iterations: 2).Hash(Utf8("pw"));

        Assert.False(new Argon2idScheme(HasherTestOptions.FastMemoryKiB, iterations: 2).NeedsRehash(hash));
        Assert.True(new Argon2idScheme(HasherTestOptions.FastMemoryKiB, iterations: 3).NeedsRehash(hash));
        Assert.True(new Argon2idScheme(HasherTestOptions.FastMemoryKiB * 2, iterations: 2).NeedsRehash(hash));
    }

    [Theory]
    [MemberData(nameof(MalformedHashes.All), MemberType = typeof(MalformedHashes))]
    public void Verify_MalformedHash_FailsWithoutThrowing(string encodedHash)
    {
        Assert.False(_scheme.Verify(Utf8("password"), encodedHash));
        Assert.True(_scheme.NeedsRehash(encodedHash));
    }

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);
}
