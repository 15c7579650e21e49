using System.Security.Cryptography;
using Bastion.Encryption;
using Bastion.Mfa;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Mfa;

public sealed class TotpSecretProtectorTests
{
    private readonly TotpSecretProtector _protector;

    public TotpSecretProtectorTests()
    {
        var options = new FieldEncryptionOptions { CurrentVersion = 1 };
        options.Keys["1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _protector = new TotpSecretProtector(new FieldCipher(Options.Create(options)));
    }

    [Fact]
    public void Unprotect_ValueProtectedForSameUser_GivesTheSecret()
    {
        var secret = TotpSecret.Generate();

        var stored = _protector.Protect("alice", secret);

        Assert.Equal(secret, _protector.Unprotect("alice", stored));
        Assert.DoesNotContain(Base32.Encode(secret), stored, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Unprotect_ValueCopiedFromAnotherUser_Throws()
    {
        var stored = _protector.Protect("alice", TotpSecret.Generate());

        Assert.Throws<FieldDecryptionException>(() => _protector.Unprotect("bob", stored));
    }
}
