using Bastion.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Email;

public sealed class EmailServiceCollectionExtensionsTests
{
    [Fact]
    public void Development_WithNothingConfigured_WritesToTheDataDirectoryOutbox()
    {
        using var provider = Build(Environments.Development, new() { ["Bastion:DataDirectory"] = "/srv/bastion-data" });

        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
        Assert.Equal(Path.Combine("/srv/bastion-data", "outbox"), options.PickupDirectory);
        Assert.Equal("bastion@localhost", options.From);
        Assert.Equal(new Uri("http://localhost:5080"), options.PublicBaseUrl);
        Assert.IsType<PickupDirectoryEmailSender>(provider.GetRequiredService<IEmailSender>());
    }

    [Fact]
    public void SmtpHost_Configured_SelectsSmtpAndNoPickupDirectory()
    {
        using var provider = Build(Environments.Development, new()
        {
            ["Bastion:Email:Smtp:Host"] = "smtp.example.com",
            ["Bastion:Email:Smtp:Port"] = "2525",
            ["Bastion:Email:Smtp:UseStartTls"] = "false",
            ["Bastion:Email:Retries"] = "5",
            ["Bastion:Email:RetryDelay"] = "00:00:02",
            ["Bastion:Email:PublicBaseUrl"] = "https://bastion.example.com",
        });

        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
        Assert.Null(options.PickupDirectory);
        Assert.Equal((2525, false, 5, TimeSpan.FromSeconds(2)), (options.Smtp.Port, options.Smtp.UseStartTls, options.Retries, options.RetryDelay));
        Assert.Equal(new Uri("https://bastion.example.com"), options.PublicBaseUrl);
        Assert.IsType<SmtpEmailSender>(provider.GetRequiredService<IEmailSender>());
    }

    [Fact]
    public async Task Outbox_IsInTheDatabaseWithOneWorkerAsHostedService()
    {
        await using var provider = Build(Environments.Development, new() { ["Bastion:DataDirectory"] = Path.GetTempPath() });

        Assert.IsType<EmailOutbox>(provider.GetRequiredService<IEmailOutbox>());
        Assert.Same(provider.GetRequiredService<EmailOutboxWorker>(), Assert.Single(provider.GetServices<IHostedService>()));
        Assert.NotNull(provider.GetRequiredService<EmailTemplates>());
    }

    [Fact]
    public void Production_WithNothingConfigured_RefusesToStartAndNamesTheSettings()
    {
        using var provider = Build(Environments.Production, []);

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EmailOptions>>().Value);
        Assert.Contains(failure.Failures, f => f.Contains("Bastion:Email:From is required", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Bastion:Email:PublicBaseUrl is required", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Bastion:Email:Smtp:Host is required in production", StringComparison.Ordinal));
    }

    private static ServiceProvider Build(string environment, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment });
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.Configure<Bastion.Hosting.BastionOptions>(configuration.GetSection("Bastion"));
        services.Configure<Bastion.Storage.DatabaseOptions>(o => o.ConnectionString = "Data Source=:memory:");
        services.AddBastionEmail(configuration.GetSection("Bastion:Email"));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
