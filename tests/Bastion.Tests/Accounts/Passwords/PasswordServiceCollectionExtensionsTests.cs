using Bastion.Accounts.Passwords;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Accounts.Passwords;

public sealed class PasswordServiceCollectionExtensionsTests
{
    [Fact]
    public void AddBastionPasswords_WithoutConfiguration_ResolvesArgon2idHasherAndDefaultPolicy()
    {
        using var provider = Build([]);

        var hasher = Assert.IsType<PasswordHasher>(provider.GetRequiredService<IPasswordHasher>());
        Assert.Equal(PasswordHashAlgorithm.Argon2id, hasher.Algorithm);
        Assert.Same(hasher, provider.GetRequiredService<PasswordHasher>());
        Assert.Equal(8, provider.GetRequiredService<IOptions<PasswordPolicyOptions>>().Value.MinimumLength);
        Assert.True(provider.GetRequiredService<PasswordPolicy>().Evaluate("Quilted#Otter-Marsh42", null, null).IsValid);
    }

    [Fact]
    public void AddBastionPasswords_BindsHashingAndPolicySections()
    {
        using var provider = Build(new()
        {
            ["Bastion:Passwords:Hashing:Algorithm"] = "Pbkdf2Sha512",
            ["Bastion:Passwords:Hashing:Pbkdf2Iterations"] = "300000",
            ["Bastion:Passwords:Policy:MinimumLength"] = "12",
            ["Bastion:Passwords:Policy:RequireSpecial"] = "false",
        });

        var hashing = provider.GetRequiredService<IOptions<PasswordHashingOptions>>().Value;
        var policy = provider.GetRequiredService<IOptions<PasswordPolicyOptions>>().Value;
        Assert.Equal(PasswordHashAlgorithm.Pbkdf2Sha512, hashing.Algorithm);
        Assert.Equal(300_000, hashing.Pbkdf2Iterations);
        Assert.Equal(12, policy.MinimumLength);
        Assert.False(policy.RequireSpecial);
    }

    [Fact]
    public void AddBastionPasswords_WeakParameters_FailStartupValidation()
    {
        using var provider = Build(new()
        {
            ["Bastion:Passwords:Hashing:MemoryKiB"] = "4096",
            ["Bastion:Passwords:Policy:MinimumLength"] = "4",
        });

        var error = Assert.Throws<AggregateException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var messages = error.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToArray();
        Assert.Contains(messages, m => m.Contains("MemoryKiB is 4096", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("MinimumLength is 4", StringComparison.Ordinal));
    }

    [Fact]
    public void AddBastionPasswords_NistProfile_AcceptsALowercasePassphraseOf15_AndRefusesShorterOrCommonOnes()
    {
        using var nist = Build(new() { ["Bastion:Passwords:Profile"] = "Nist80063B" });
        using var seeds = Build([]);
        var policy = nist.GetRequiredService<PasswordPolicy>();

        Assert.True(policy.Evaluate("velvetorbitjams", "ann@example.com", "Ann Lee").IsValid);
        Assert.Equal([PasswordFailureCodes.TooShort], policy.Evaluate("velvetorbitjam", null, null).Failures.Select(f => f.Code));
        Assert.Equal([PasswordFailureCodes.CommonPassword], policy.Evaluate("qazwsxedcrfvtgb", null, null).Failures.Select(f => f.Code));
        Assert.Contains(PasswordFailureCodes.ContainsPersonalInfo, policy.Evaluate("annabelle-river-stones", "annabelle@example.com", null).Failures.Select(f => f.Code));
        Assert.Contains(PasswordFailureCodes.MissingUppercase, seeds.GetRequiredService<PasswordPolicy>().Evaluate("velvetorbitjams", null, null).Failures.Select(f => f.Code));
    }

    [Theory]
    [InlineData("Bastion:Passwords:Policy:MinimumLength", "12", "needs at least 15")]
    [InlineData("Bastion:Passwords:Policy:RequireDigit", "true", "imposes no composition rules")]
    [InlineData("Bastion:Passwords:Policy:RejectCommonPasswords", "false", "RejectCommonPasswords is false")]
    public void AddBastionPasswords_NistProfileWithASettingThatLeavesIt_FailsStartupValidation(string key, string value, string message)
    {
        using var provider = Build(new() { ["Bastion:Passwords:Profile"] = "Nist80063B", [key] = value });

        Assert.Contains(StartupFailures(provider), m => m.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void AddBastionPasswords_UnknownProfile_FailsStartupValidation()
    {
        using var provider = Build(new() { ["Bastion:Passwords:Profile"] = "Lenient" });

        Assert.Contains(StartupFailures(provider), m => m.Contains("Profile is 'Lenient'; use Default or Nist80063B", StringComparison.Ordinal));
    }

    [Fact]
    public void AddBastionPasswords_KeepsAHasherRegisteredBefore()
    {
        var services = new ServiceCollection().AddLogging();
        var existing = HasherTestOptions.Hasher(HasherTestOptions.Fast());
        services.AddSingleton<IPasswordHasher>(existing);
        services.AddBastionPasswords(new ConfigurationBuilder().Build());

        using var provider = services.BuildServiceProvider();

        Assert.Same(existing, provider.GetRequiredService<IPasswordHasher>());
    }

    /// <summary>The failures that stop the start: one options type throws its own exception, several an aggregate.</summary>
    private static IEnumerable<string> StartupFailures(ServiceProvider provider)
    {
        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        return error is AggregateException many
            ? many.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures)
            : Assert.IsType<OptionsValidationException>(error).Failures;
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddBastionPasswords(configuration.GetSection("Bastion:Passwords"))
            .BuildServiceProvider();
    }
}
