using System.Text;
using Bastion.Accounts.Passwords;

namespace Bastion.Tests.Accounts.Passwords;

public sealed class Pbkdf2Sha512SchemeTests
{
    // PBKDF2-HMAC-SHA512, 210,000 iterations, salt 00 01 … 0f, 64-byte output, computed with Python's
    // hashlib.pbkdf2_hmac and confirmed with OpenSSL 3 (`openssl kdf -keylen 64 -kdfopt digest:SHA512 … PBKDF2`).
    private const string OwaspVector =
        "$pbkdf2-sha512$i=210000$AAECAwQFBgcICQoLDA0ODw==$tfP6dFnMFLm84erFFC/hWDzb6fAjAPCAs0RvJLiu5xYHfelPBTAEADgLVRgJzZ8bKvvUpW2nUExEbADbiezuPg==";

    // Same method: UTF-8 bytes of "pässwörd-Ω", salt "saltsaltsaltsalt", 1,000 iterations.
    private const string NonAsciiVector =
        "$pbkdf2-sha512$i=1000$c2FsdHNhbHRzYWx0c2FsdA==$8qClYKxlULHDF8zXC8KmKVgiSDk+FFIZyv1an/LVJyLGp02z+QdohMZ2Hlj4It6ZOnwZ9mDBFsX4CK2Hd+QChQ==";

    private readonly Pbkdf2Sha512Scheme _scheme = new(HasherTestOptions.FastPbkdf2Iterations);

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

        Assert.False(_scheme.Verify(Utf8("Correct horse battery staple"), hash));
    }

    [Fact]
    public void Hash_SamePasswordTwice_GivesDifferentSaltedHashes()
    {
        Assert.NotEqual(_scheme.Hash(Utf8("same password")), _scheme.Hash(Utf8("same password")));
    }

    [Fact]
    public void Hash_EncodesAlgorithmIterationsSaltAndHash()
    {
        var hash = _scheme.Hash(Utf8("correct horse battery staple"));

        Assert.Matches(@"^\$pbkdf2-sha512\$i=1000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$", hash);
    }

    [Fact]
    public void Verify_IndependentVectorAtOwaspIterations_Succeeds()
    {
        var scheme = new Pbkdf2Sha512Scheme(210_000);

        Assert.True(scheme.Verify(Utf8("correct horse battery staple"), OwaspVector));
        Assert.False(scheme.NeedsRehash(OwaspVector));
    }

    [Fact]
    public void Verify_IndependentVectorOfNonAsciiPassword_SucceedsWithUtf8Bytes()
    {
        Assert.True(_scheme.Verify(Utf8("p\u00e4ssw\u00f6rd-\u03a9"), NonAsciiVector));
        Assert.False(_scheme.Verify(Utf8("p\u00e4ssw\u00f6rd-"), NonAsciiVector));
    }

    [Fact]
    public void NeedsRehash_WithOtherIterationCount_IsTrue()
    {
        Assert.True(new Pbkdf2Sha512Scheme(220_000).NeedsRehash(OwaspVector));

        // An older hash with an 8-byte salt still verifies but is moved to the current salt size.
        Assert.True(_scheme.NeedsRehash("$pbkdf2-sha512$i=1000$c2FsdHNhbHQ=$8qClYKxlULHDF8zXC8KmKVgiSDk+FFIZyv1an/LVJyLGp02z+QdohMZ2Hlj4It6ZOnwZ9mDBFsX4CK2Hd+QChQ=="));
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
