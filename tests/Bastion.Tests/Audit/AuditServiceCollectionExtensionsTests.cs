using System.Security.Cryptography;
using Bastion.Audit;
using Bastion.Hosting;
using Bastion.Storage;
using Bastion.Tests.Encryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Audit;

/// <summary>AddBastionAudit: configuration binding, validation at start, and a working writer from the container.</summary>
public sealed class AuditServiceCollectionExtensionsTests : IAsyncLifetime
{
    private const string Secret = "b3f1e9c2a7d84f6e9a1c5b7d3e2f4a6c8e0b1d3f";
    private AuditTestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await AuditTestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public void AddBastionAudit_BindsTheSection()
    {
        using var services = Build(new()
        {
            ["MaxBatchSize"] = "100",
            ["BatchWindow"] = "00:00:00.002",
            ["Alerts:WebhookUrl"] = "https://alerts.example/hook",
            ["Alerts:WebhookSecret"] = Secret,
            ["Alerts:MaxAttempts"] = "3",
        });

        var options = services.GetRequiredService<IOptions<AuditOptions>>().Value;

        Assert.Equal((100, TimeSpan.FromMilliseconds(2)), (options.MaxBatchSize, options.BatchWindow));
        Assert.Equal((new Uri("https://alerts.example/hook"), Secret, 3), (options.Alerts.WebhookUrl, options.Alerts.WebhookSecret, options.Alerts.MaxAttempts));
    }

    [Fact]
    public void AddBastionAudit_InvalidSettings_FailWithTheSettingsName()
    {
        using var services = Build(new() { ["Alerts:WebhookUrl"] = "http://alerts.example/hook" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AuditOptions>>().Value);

        Assert.Contains("Bastion:Audit:Alerts:WebhookUrl must use https in production.", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("Bastion:Audit:Alerts:WebhookSecret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddBastionAudit_RegistersTheMigrationsAndAWorkingLog()
    {
        await using var services = Build([]);

        var source = Assert.Single(services.GetServices<MigrationSource>());
        Assert.Equal(("audit", "Bastion.Audit.Migrations"), (source.Component, source.ResourcePrefix));
        Assert.Equal([1, 2, 3], SchemaMigrator.LoadScripts(DatabaseProvider.Sqlite, source).Select(script => script.Version));
        Assert.Equal([1, 2, 3], SchemaMigrator.LoadScripts(DatabaseProvider.Postgres, source).Select(script => script.Version));

        // The address is sealed under the user's key on the way in and opened on the way out.
        await services.GetRequiredService<IAuditLog>().WriteAsync(new AuditEvent(AuditEventTypes.UserApproved) { UserId = Guid.NewGuid(), IpAddress = "192.0.2.1" });
        var page = await services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery());
        Assert.Equal(("user_approved", "192.0.2.1"), (Assert.Single(page.Items).Type, page.Items[0].IpAddress));
        Assert.NotNull(services.GetRequiredService<AuditExporter>());
        Assert.Equal([typeof(WebhookAlertSink), typeof(EmailAlertSink)], services.GetServices<IAuditAlertSink>().Select(s => s.GetType()));
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(Environments.Production));
        services.AddSingleton(Options.Create(_db.Options));
        services.AddSingleton(new SecretBox(new MasterKey(
            Options.Create(new SecretsOptions { MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }),
            Options.Create(new BastionOptions()),
            new TestHostEnvironment(Environments.Production))));
        services.AddBastionAudit(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider(validateScopes: true);
    }
}
