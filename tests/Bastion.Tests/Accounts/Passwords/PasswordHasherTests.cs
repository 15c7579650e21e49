using Bastion.Accounts.Passwords;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Accounts.Passwords;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Hash_WithDefaultOptions_MakesArgon2idHashWithOwaspParametersThatVerifies()
    {
        var hasher = HasherTestOptions.Hasher(new PasswordHashingOptions());

        var hash = hasher.Hash("correct horse battery staple");

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash, StringComparison.Ordinal);
        Assert.Equal(PasswordVerification.Success, hasher.Verify("correct horse battery staple", hash));
        Assert.Equal(PasswordHashAlgorithm.Argon2id, hasher.Algorithm);
        Assert.False(hasher.UsesFallback);
    }

    [Fact]
    public void Verify_WrongPassword_Fails()
    {
        var hasher = HasherTestOptions.Hasher(HasherTestOptions.Fast());
        var hash = hasher.Hash("correct horse battery staple");

        Assert.Equal(PasswordVerification.Failed, hasher.Verify("correct horse battery stapl", hash));
        Assert.Equal(PasswordVerification.Failed, hasher.Verify(string.Empty, hash));
    }

    [Fact]
    public void Verify_Argon2idHashMadeWithFewerIterations_ReportsRehashNeeded()
    {
        var hash = HasherTestOptions.Hasher(HasherTestOptions.Fast(iterations: 2)).Hash("pw-Ω");

        var verification = HasherTestOptions.Hasher(HasherTestOptions.Fast(iterations: 3)).Verify("pw-Ω", hash);

        Assert.Equal(PasswordVerification.SuccessRehashNeeded, verification);
    }

    [Fact]
    public void Verify_Pbkdf2HashMadeWithFewerIterations_ReportsRehashNeeded()
    {
        var options = HasherTestOptions.Fast(PasswordHashAlgorithm.Pbkdf2Sha512);
        var hash = HasherTestOptions.Hasher(options).Hash("pw");
        options.Pbkdf2Iterations++;

        Assert.Equal(PasswordVerification.SuccessRehashNeeded, HasherTestOptions.Hasher(options).Verify("pw", hash));
    }

    [Fact]
    public void Verify_Pbkdf2HashWhenArgon2idIsConfigured_ReportsRehashNeeded()
    {
        var hash = HasherTestOptions.Hasher(HasherTestOptions.Fast(PasswordHashAlgorithm.Pbkdf2Sha512)).Hash("pw");
        var hasher = HasherTestOptions.Hasher(HasherTestOptions.Fast(PasswordHashAlgorithm.Argon2id));

        Assert.Equal(PasswordVerification.SuccessRehashNeeded, hasher.Verify("pw", hash));
        Assert.Equal(PasswordVerification.Failed, hasher.Verify("pW", hash));
    }

    [Fact]
    public void Verify_Argon2idHashWhenPbkdf2IsConfigured_ReportsRehashNeeded()
    {
        var hash = HasherTestOptions.Hasher(HasherTestOptions.Fast(PasswordHashAlgorithm.Argon2id)).Hash("pw");
        var hasher = HasherTestOptions.Hasher(HasherTestOptions.Fast(PasswordHashAlgorithm.Pbkdf2Sha512));

        Assert.Equal(PasswordVerification.SuccessRehashNeeded, hasher.Verify("pw", hash));
    }

    [Fact]
    public void Hash_WithPbkdf2Configured_MakesPbkdf2Hash()
    {
        var hasher = HasherTestOptions.Hasher(HasherTestOptions.Fast(PasswordHashAlgorithm.Pbkdf2Sha512));

        var hash = hasher.Hash("pw");

        Assert.StartsWith("$pbkdf2-sha512$i=1000$", hash, StringComparison.Ordinal);
        Assert.Equal(PasswordVerification.Success, hasher.Verify("pw", hash));
    }

    [Theory]
    [MemberData(nameof(MalformedHashes.All), MemberType = typeof(MalformedHashes))]
    public void Verify_MalformedOrUnknownHash_FailsWithoutThrowing(string encodedHash)
    {
        var hasher = HasherTestOptions.Hasher(HasherTestOptions.Fast());

        Assert.Equal(PasswordVerification.Failed, hasher.Verify("password", encodedHash));
    }

    [Fact]
    public void Verify_NullHash_Fails()
    {
        var hasher = HasherTestOptions.Hasher(HasherTestOptions.Fast());

        Assert.Equal(PasswordVerification.Failed, hasher.Verify("password", null!));
    }

    [Theory]
    [InlineData(PasswordHashAlgorithm.Argon2id)]
    [InlineData(PasswordHashAlgorithm.Pbkdf2Sha512)]
    public void VerifyDummy_ForAnyPassword_RunsOneFailingVerificationAsCostlyAsARealOne(PasswordHashAlgorithm algorithm)
    {
        var log = new List<RecordingScheme.Verification>();
        var hasher = new PasswordHasher(
            Options.Create(HasherTestOptions.Fast(algorithm)), NullLogger<PasswordHasher>.Instance, libsodiumAvailable: true, scheme => new RecordingScheme(scheme, log));
        var stored = hasher.Hash("correct horse battery staple");
        hasher.Verify("a wrong guess", stored);
        var real = Assert.Single(log);
        log.Clear();

        hasher.VerifyDummy("password");
        hasher.VerifyDummy(string.Empty);

        // Each dummy is one verification by the same scheme, against a hash with the same parameters as a stored
        // one (so the same work), that no password matches.
        Assert.Equal(2, log.Count);
        Assert.All(log, dummy =>
        {
            Assert.Same(real.Scheme, dummy.Scheme);
            Assert.False(dummy.Matched);
            Assert.Equal(Parameters(real.EncodedHash), Parameters(dummy.EncodedHash));
            Assert.False(dummy.Scheme.Inner.NeedsRehash(dummy.EncodedHash));
        });
    }

    // An encoded hash without its last two fields (salt and hash): the algorithm and its cost parameters.
    private static string Parameters(string encodedHash) => encodedHash[..encodedHash.LastIndexOf('$', encodedHash.LastIndexOf('$') - 1)];

    [Fact]
    public void Hash_NullPassword_Throws()
    {
        var hasher = HasherTestOptions.Hasher(HasherTestOptions.Fast());

        Assert.Throws<ArgumentNullException>(() => hasher.Hash(null!));
    }

    [Fact]
    public void Constructor_Argon2idWithoutLibsodium_RefusesAndSaysWhatToSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() => HasherTestOptions.Hasher(HasherTestOptions.Fast(), libsodiumAvailable: false));

        Assert.Contains("Pbkdf2Sha512", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowPbkdf2Fallback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Argon2idWithoutLibsodiumAndFallbackAllowed_HashesWithPbkdf2AndSaysSo()
    {
        var options = HasherTestOptions.Fast();
        options.AllowPbkdf2Fallback = true;

        var hasher = HasherTestOptions.Hasher(options, libsodiumAvailable: false);

        Assert.True(hasher.UsesFallback);
        Assert.Equal(PasswordHashAlgorithm.Pbkdf2Sha512, hasher.Algorithm);
        Assert.StartsWith("$pbkdf2-sha512$", hasher.Hash("pw"), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_Argon2idHashWithoutLibsodium_ThrowsInsteadOfReportingAWrongPassword()
    {
        var hash = HasherTestOptions.Hasher(HasherTestOptions.Fast()).Hash("pw");
        var options = HasherTestOptions.Fast();
        options.AllowPbkdf2Fallback = true;
        var hasher = HasherTestOptions.Hasher(options, libsodiumAvailable: false);

        Assert.Throws<InvalidOperationException>(() => hasher.Verify("pw", hash));
    }
}
