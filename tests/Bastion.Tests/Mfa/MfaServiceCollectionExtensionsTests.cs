using System.Security.Cryptography;
using Bastion.Encryption;
using Bastion.Hosting;
using Bastion.Mfa;
using Bastion.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Mfa;

public sealed class MfaServiceCollectionExtensionsTests
{
    [Fact]
    public void AddBastionMfa_WithBastionServices_ResolvesEveryBuildingBlock()
    {
        using var provider = BuildProvider(new Dictionary<string, string?>
        {
            ["Bastion:Mfa:Issuer"] = "Acme",
            ["Bastion:Mfa:Algorithm"] = "SHA256",
            ["Bastion:Mfa:Digits"] = "8",
        });

        var totp = provider.GetRequiredService<Totp>();

        Assert.Equal(TotpAlgorithm.Sha256, totp.Algorithm);
        Assert.Equal(8, totp.Digits);
        Assert.Equal("Acme", provider.GetRequiredService<IOptions<MfaOptions>>().Value.Issuer);
        Assert.NotNull(provider.GetRequiredService<TotpVerifier>());
        Assert.NotNull(provider.GetRequiredService<TotpReplayGuard>());
        Assert.NotNull(provider.GetRequiredService<TotpSecretProtector>());
        Assert.NotNull(provider.GetRequiredService<RecoveryCodes>());
        Assert.NotNull(provider.GetRequiredService<EmailOtp>());
    }

    [Fact]
    public void AddBastionMfa_InvalidSettings_FailsWithEveryMessage()
    {
        using var provider = BuildProvider(new Dictionary<string, string?>
        {
            ["Bastion:Mfa:Window"] = "5",
            ["Bastion:Mfa:EmailCodeLifetime"] = "01:00:00",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MfaOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Bastion:Mfa:Window ", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Bastion:Mfa:EmailCodeLifetime ", StringComparison.Ordinal));
    }

    [Fact]
    public void AddBastionMfa_RecoveryCodeKeyFromMasterKey_IsStableAcrossInstances()
    {
        var masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var first = BuildProvider([], masterKey);
        using var second = BuildProvider([], masterKey);
        var codes = RecoveryCodes.Generate();

        var stored = first.GetRequiredService<RecoveryCodes>().Protect("alice", codes);

        Assert.True(second.GetRequiredService<RecoveryCodes>().Verify("alice", stored, codes[0]));
    }

    private static ServiceProvider BuildProvider(Dictionary<string, string?> settings, string? masterKey = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();

        // What AddBastion registers and the MFA services depend on.
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new MfaHostEnvironment());
        services.AddOptions<BastionOptions>();
        services.Configure<SecretsOptions>(o => o.MasterKey = masterKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        services.AddSingleton<MasterKey>();
        services.AddSingleton<IStateStore>(new MemoryStateStore(TimeProvider.System));
        services.Configure<FieldEncryptionOptions>(o =>
        {
            o.Keys["1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            o.CurrentVersion = 1;
        });
        services.AddSingleton<FieldCipher>();

        services.AddBastionMfa(configuration.GetSection("Bastion:Mfa"));
        return services.BuildServiceProvider();
    }
}
