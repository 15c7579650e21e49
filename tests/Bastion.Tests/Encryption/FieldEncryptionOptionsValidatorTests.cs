using Bastion.Encryption;
using Microsoft.Extensions.Hosting;

namespace Bastion.Tests.Encryption;

public sealed class FieldEncryptionOptionsValidatorTests
{
    private readonly TestKeys _keys = new();

    [Fact]
    public void Validate_TwoVersionsAndABlindIndexKey_Succeeds()
        => Assert.True(Validate(_keys.Options(2, 1, 2)).Succeeded);

    [Fact]
    public void Validate_NothingConfiguredOutsideDevelopment_AsksForKeysVersionAndBlindIndexKey()
    {
        var message = Assert.Single(Failures(new FieldEncryptionOptions(), Environments.Production));

        Assert.StartsWith("Bastion:Encryption is required in Production", message, StringComparison.Ordinal);
        Assert.Contains("Bastion:Encryption:Keys:1", message, StringComparison.Ordinal);
        Assert.Contains("Bastion:Encryption:CurrentVersion", message, StringComparison.Ordinal);
        Assert.Contains("Bastion:Encryption:BlindIndexKey", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoKeys_NamesKeysSetting()
    {
        var options = new FieldEncryptionOptions { CurrentVersion = 1, BlindIndexKey = _keys.BlindIndexKey };

        Assert.Contains(Failures(options), m => m.StartsWith("Bastion:Encryption:Keys is empty: set Bastion:Encryption:Keys:1", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_CurrentVersionNotAmongKeys_ListsTheConfiguredVersions()
    {
        var message = Assert.Single(Failures(_keys.Options(3, 1, 2)));

        Assert.Equal(
            "Bastion:Encryption:CurrentVersion is 3, which is not a version in Bastion:Encryption:Keys (1, 2): set it to the version new values are to be encrypted under.",
            message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("01")]
    [InlineData("v2")]
    [InlineData("current")]
    public void Validate_KeyNameThatIsNotAPositiveVersion_IsRefused(string name)
    {
        var options = _keys.Options(1, 1);
        options.Keys[name] = TestKeys.NewKey();

        Assert.Contains($"Bastion:Encryption:Keys:{name} is not a key version", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeyNotBase64_IsRefused()
    {
        var options = _keys.Options(1, 1);
        options.Keys["2"] = "not-base64!";

        Assert.StartsWith("Bastion:Encryption:Keys:2 is not base64", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyKey_IsRefused()
    {
        var options = _keys.Options(1, 1);
        options.Keys["2"] = "";

        Assert.StartsWith("Bastion:Encryption:Keys:2 is empty", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void Validate_KeyNotExactly32Bytes_IsRefused(int length)
    {
        var options = _keys.Options(1, 1);
        options.Keys["2"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(length));

        Assert.StartsWith($"Bastion:Encryption:Keys:2 is {length} bytes; AES-256 needs exactly 32", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=")]
    public void Validate_PlaceholderKey_IsRefused(string placeholder)
    {
        var options = _keys.Options(1, 1);
        options.Keys["2"] = placeholder;

        Assert.StartsWith("Bastion:Encryption:Keys:2 looks like a placeholder", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TwoVersionsWithOneKey_IsRefused()
    {
        var options = _keys.Options(1, 1);
        options.Keys["2"] = _keys.Key(1);

        Assert.StartsWith("Bastion:Encryption:Keys:2 is the same key as Bastion:Encryption:Keys:1", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_MissingBlindIndexKey_IsRefused(string? blindIndexKey)
    {
        var options = _keys.Options(1, 1);
        options.BlindIndexKey = blindIndexKey;

        Assert.StartsWith("Bastion:Encryption:BlindIndexKey is required", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BlindIndexKeyNotBase64_IsRefused()
    {
        var options = _keys.Options(1, 1);
        options.BlindIndexKey = "%%%";

        Assert.StartsWith("Bastion:Encryption:BlindIndexKey is not base64", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShortBlindIndexKey_IsRefused()
    {
        var options = _keys.Options(1, 1);
        options.BlindIndexKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

        Assert.StartsWith("Bastion:Encryption:BlindIndexKey is 16 bytes; it needs at least 32", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LongBlindIndexKey_IsAccepted()
    {
        var options = _keys.Options(1, 1);
        options.BlindIndexKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));

        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public void Validate_PlaceholderBlindIndexKey_IsRefused()
    {
        var options = _keys.Options(1, 1);
        options.BlindIndexKey = Convert.ToBase64String(new byte[32]);

        Assert.StartsWith("Bastion:Encryption:BlindIndexKey looks like a placeholder", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BlindIndexKeySameAsAnEncryptionKey_IsRefused()
    {
        var options = _keys.Options(2, 1, 2);
        options.BlindIndexKey = _keys.Key(1);

        Assert.StartsWith("Bastion:Encryption:BlindIndexKey is the same key as Bastion:Encryption:Keys:1", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEachOne()
    {
        var options = new FieldEncryptionOptions { CurrentVersion = 2, BlindIndexKey = "short" };
        options.Keys["1"] = "AAAA";

        Assert.Equal(3, Failures(options).Count);
    }

    [Fact]
    public void Validate_RotatedBlindIndexKey_Succeeds()
        => Assert.True(Validate(_keys.RotatedIndexOptions(current: 2)).Succeeded);

    [Fact]
    public void Validate_OnlyTheNewBlindIndexKeyLeft_Succeeds()
    {
        var options = _keys.RotatedIndexOptions(current: 2);
        options.BlindIndexKey = null;

        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public void Validate_BlindIndexCurrentVersionWithoutAKey_IsRefused()
    {
        var options = _keys.Options(1, 1);
        options.BlindIndexCurrentVersion = 2;

        Assert.StartsWith("Bastion:Encryption:BlindIndexCurrentVersion is 2, which has no key", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NewBlindIndexVersionReusingTheOldKey_IsRefused()
    {
        var options = _keys.RotatedIndexOptions(current: 2);
        options.BlindIndexKeys["2"] = _keys.BlindIndexKey;

        Assert.StartsWith("Bastion:Encryption:BlindIndexKeys:2 is the same key as blind-index version 1", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BlindIndexVersionOneSetTwice_IsRefused()
    {
        var options = _keys.Options(1, 1);
        options.BlindIndexKeys["1"] = TestKeys.NewKey();

        Assert.Contains(Failures(options), f => f.StartsWith("Bastion:Encryption:BlindIndexKeys:1 and Bastion:Encryption:BlindIndexKey both set", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ReEncryptionBatchSizeOutOfRange_IsRefused()
    {
        var options = _keys.Options(1, 1);
        options.ReEncryptionBatchSize = 0;

        Assert.StartsWith("Bastion:Encryption:ReEncryptionBatchSize is 0", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(FieldEncryptionOptions options, string environment = "Production")
        => new FieldEncryptionOptionsValidator(new TestHostEnvironment(environment)).Validate(null, options);

    private static IReadOnlyList<string> Failures(FieldEncryptionOptions options, string environment = "Production")
    {
        var result = Validate(options, environment);
        Assert.True(result.Failed);
        return [.. result.Failures!];
    }
}
