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
    public void AddBastionPasswords_KeepsAHasherRegisteredBefore()
    {
        var services = new ServiceCollection().AddLogging();
        var existing = HasherTestOptions.Hasher(HasherTestOptions.Fast());
        services.AddSingleton<IPasswordHasher>(existing);
        services.AddBastionPasswords(new ConfigurationBuilder().Build());

        using var provider = services.BuildServiceProvider();

        Assert.Same(existing, provider.GetRequiredService<IPasswordHasher>());
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
