using Bastion.Encryption;
using Bastion.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Encryption;

public sealed class EncryptionServiceCollectionExtensionsTests
{
    private const string Context = "equipment.serialNumber:42";

    private readonly TestKeys _keys = new();
    private readonly string _masterKey = TestKeys.NewKey();

    [Fact]
    public void AddBastionEncryption_InDevelopmentWithoutConfiguration_DerivesKeysFromTheMasterKey()
    {
        using var provider = Build(Environments.Development, []);
        provider.GetRequiredService<IStartupValidator>().Validate();

        var options = provider.GetRequiredService<IOptions<FieldEncryptionOptions>>().Value;
        var masterKey = provider.GetRequiredService<MasterKey>();
        Assert.Equal(1, options.CurrentVersion);
        Assert.Equal(Convert.ToBase64String(masterKey.Derive("field-encryption-v1")), options.Keys["1"]);
        Assert.Equal(Convert.ToBase64String(masterKey.Derive("blind-index")), options.BlindIndexKey);
    }

    [Fact]
    public void AddBastionEncryption_InDevelopmentWithoutConfiguration_ValuesSurviveARestart()
    {
        string stored;
        string index;
        using (var first = Build(Environments.Development, []))
        {
            stored = first.GetRequiredService<FieldCipher>().Encrypt("SN-0042", Context);
            index = first.GetRequiredService<BlindIndex>().Compute("SN-0042", "equipment.serialNumber");
        }

        using var second = Build(Environments.Development, []);

        Assert.Equal("SN-0042", second.GetRequiredService<FieldCipher>().Decrypt(stored, Context));
        Assert.Equal(index, second.GetRequiredService<BlindIndex>().Compute("SN-0042", "equipment.serialNumber"));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void AddBastionEncryption_OutsideDevelopmentWithoutConfiguration_FailsStartupValidation(string environment)
    {
        using var provider = Build(environment, []);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith($"Bastion:Encryption is required in {environment}", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void AddBastionEncryption_BindsVersionedKeysFromConfiguration()
    {
        using var provider = Build(Environments.Production, new()
        {
            ["Bastion:Encryption:Keys:1"] = _keys.Key(1),
            ["Bastion:Encryption:Keys:2"] = _keys.Key(2),
            ["Bastion:Encryption:CurrentVersion"] = "2",
            ["Bastion:Encryption:BlindIndexKey"] = _keys.BlindIndexKey,
        });
        provider.GetRequiredService<IStartupValidator>().Validate();

        var cipher = provider.GetRequiredService<FieldCipher>();

        Assert.Equal(2, cipher.CurrentVersion);
        Assert.Equal("SN-0042", cipher.Decrypt(_keys.Cipher(1, 1).Encrypt("SN-0042", Context), Context));
        Assert.Equal(_keys.BlindIndex().Compute("SN-0042", "p"), provider.GetRequiredService<BlindIndex>().Compute("SN-0042", "p"));
    }

    [Fact]
    public void AddBastionEncryption_InDevelopmentWithPartialConfiguration_ValidatesInsteadOfDeriving()
    {
        using var provider = Build(Environments.Development, new() { ["Bastion:Encryption:Keys:1"] = _keys.Key(1) });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var messages = error.Failures.ToList();
        Assert.Equal(2, messages.Count);
        Assert.Contains(messages, m => m.StartsWith("Bastion:Encryption:CurrentVersion is 0", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Bastion:Encryption:BlindIndexKey is required", StringComparison.Ordinal));
    }

    [Fact]
    public void AddBastionEncryption_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        var section = new ConfigurationBuilder().Build().GetSection(FieldEncryptionOptions.SectionName);

        services.AddBastionEncryption(section).AddBastionEncryption(section);

        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<FieldEncryptionOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IPostConfigureOptions<FieldEncryptionOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(FieldCipher));
        Assert.Single(services, d => d.ServiceType == typeof(BlindIndex));
    }

    private ServiceProvider Build(string environment, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IHostEnvironment>(new TestHostEnvironment(environment))
            .Configure<SecretsOptions>(options => options.MasterKey = _masterKey)
            .AddBastionEncryption(configuration.GetSection(FieldEncryptionOptions.SectionName))
            .BuildServiceProvider();
    }
}
