using Bastion.Hosting;
using Bastion.State;
using Bastion.Storage;
using Bastion.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Uploads;

public sealed class UploadOptionsValidatorTests
{
    private static readonly string WebRoot = Path.Combine(Path.GetTempPath(), "site", "public");
    private readonly UploadOptionsValidator _validator = new(new TestWebHostEnvironment(WebRoot), Options.Create(new StateOptions()));

    [Fact]
    public void Defaults_WithAStorageDirectory_AreValid()
        => Assert.True(_validator.Validate(null, new UploadOptions { StorageDirectory = "/var/lib/bastion/uploads" }).Succeeded);

    [Theory]
    [InlineData("/srv/app/wwwroot/uploads")]
    [InlineData("/srv/app/WWWROOT")]
    [InlineData("./wwwroot/files")]
    public void StorageDirectory_UnderAWwwroot_IsRefused(string directory)
        => AssertFails(new UploadOptions { StorageDirectory = directory }, "StorageDirectory");

    [Fact]
    public void StorageDirectory_UnderTheConfiguredWebRoot_IsRefused()
    {
        AssertFails(new UploadOptions { StorageDirectory = Path.Combine(WebRoot, "files") }, "web root");
        AssertFails(new UploadOptions { StorageDirectory = WebRoot }, "web root");
        Assert.True(_validator.Validate(null, new UploadOptions { StorageDirectory = WebRoot + "-uploads" }).Succeeded);
    }

    [Fact]
    public void AllowedExtension_WithoutAContentCheck_IsRefused()
    {
        var options = new UploadOptions { StorageDirectory = "/data/uploads" };
        options.AllowedExtensions.Add(".docx");
        AssertFails(options, "'.docx'");
    }

    [Fact]
    public void MaxBytes_NotPositive_IsRefused() => AssertFails(new UploadOptions { StorageDirectory = "/data/uploads", MaxBytes = 0 }, "MaxBytes");

    [Fact]
    public void ClamAv_SocketAndHostTogether_IsRefused()
    {
        var options = new UploadOptions { StorageDirectory = "/data/uploads" };
        options.ClamAv.Socket = "/run/clamav/clamd.ctl";
        options.ClamAv.Host = "127.0.0.1";
        AssertFails(options, "either Socket or Host");
    }

    [Fact]
    public void ClamAv_RelativeSocketOrBadPortOrTimeout_IsRefused()
    {
        var options = new UploadOptions { StorageDirectory = "/data/uploads" };
        options.ClamAv.Socket = "clamd.ctl";
        AssertFails(options, "absolute path");

        options = new UploadOptions { StorageDirectory = "/data/uploads" };
        options.ClamAv.Host = "clamav";
        options.ClamAv.Port = 70000;
        options.ClamAv.Timeout = TimeSpan.Zero;
        AssertFails(options, "Port");
        AssertFails(options, "Timeout");
    }

    [Fact]
    public void DirectoryStore_WithRedisState_IsRefusedUnlessDeclaredShared()
    {
        var redis = new UploadOptionsValidator(new TestWebHostEnvironment(WebRoot), Options.Create(new StateOptions { Provider = StateProvider.Redis }));
        var options = new UploadOptions { StorageDirectory = "/data/uploads", Store = UploadStoreKind.Directory };

        var result = redis.Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("SharedDirectory=true", StringComparison.Ordinal));

        options.SharedDirectory = true;
        Assert.True(redis.Validate(null, options).Succeeded);
        Assert.True(redis.Validate(null, new UploadOptions { StorageDirectory = "/data/uploads", Store = UploadStoreKind.Database }).Succeeded);
        Assert.True(_validator.Validate(null, new UploadOptions { StorageDirectory = "/data/uploads", Store = UploadStoreKind.Directory }).Succeeded);
    }

    [Fact]
    public void Store_NotAKnownKind_IsRefused()
        => AssertFails(new UploadOptions { StorageDirectory = "/data/uploads", Store = (UploadStoreKind)7 }, "Bastion:Uploads:Store");

    [Fact]
    public void DatabaseStore_WithMaxBytesAboveItsLimit_IsRefused()
    {
        AssertFails(new UploadOptions { StorageDirectory = "/data/uploads", Store = UploadStoreKind.Database, MaxBytes = UploadOptionsValidator.MaxDatabaseBytes + 1 }, "MaxBytes");
        Assert.True(_validator.Validate(null, new UploadOptions { StorageDirectory = "/data/uploads", Store = UploadStoreKind.Database, MaxBytes = UploadOptionsValidator.MaxDatabaseBytes }).Succeeded);
    }

    [Theory]
    [InlineData("Sqlite", "Memory", UploadStoreKind.Directory)]
    [InlineData("Postgres", "Memory", UploadStoreKind.Database)]
    [InlineData("Sqlite", "Redis", UploadStoreKind.Database)]
    [InlineData("Postgres", "Redis", UploadStoreKind.Database)]
    public void Store_WhenUnset_IsTheDatabaseInSharedMode(string database, string state, UploadStoreKind expected)
    {
        var defaults = new UploadOptionsDefaults(Options.Create(new BastionOptions()),
            Options.Create(new DatabaseOptions { Provider = Enum.Parse<DatabaseProvider>(database) }), Options.Create(new StateOptions { Provider = Enum.Parse<StateProvider>(state) }));
        var options = new UploadOptions();

        defaults.PostConfigure(null, options);

        Assert.Equal(expected, options.Store);
    }

    [Fact]
    public void Store_WhenSet_IsKeptInSharedMode()
    {
        var defaults = new UploadOptionsDefaults(Options.Create(new BastionOptions()),
            Options.Create(new DatabaseOptions { Provider = DatabaseProvider.Postgres }), Options.Create(new StateOptions { Provider = StateProvider.Redis }));
        var options = new UploadOptions { Store = UploadStoreKind.Directory };

        defaults.PostConfigure(null, options);

        Assert.Equal(UploadStoreKind.Directory, options.Store);
    }

    [Fact]
    public void AddBastionUploads_BindsAndFillsDefaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bastion:DataDirectory"] = "/var/lib/bastion",
            ["Bastion:Uploads:MaxBytes"] = "2048",
            ["Bastion:Uploads:AllowedExtensions:0"] = ".pdf",
            ["Bastion:Uploads:ClamAv:Host"] = "clamav.internal",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IHostEnvironment>(new TestWebHostEnvironment(WebRoot))
            .AddLogging()
            .Configure<BastionOptions>(configuration.GetSection("Bastion"))
            .AddBastionUploads(configuration.GetSection("Bastion:Uploads"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<UploadOptions>>().Value;
        Assert.Equal(2048, options.MaxBytes);
        Assert.Equal([".pdf"], options.EffectiveAllowedExtensions);
        Assert.Equal(Path.Combine("/var/lib/bastion", "uploads"), options.StorageDirectory);
        Assert.Equal(UploadStoreKind.Directory, options.Store);
        Assert.False(options.SharedDirectory);
        Assert.True(options.ClamAv.IsEnabled);
        Assert.True(options.ClamAv.FailClosed);
        Assert.NotNull(provider.GetRequiredService<UploadValidator>());
        Assert.IsType<ClamAvScanner>(provider.GetRequiredService<IVirusScanner>());
    }

    [Fact]
    public void EffectiveAllowedExtensions_WhenNoneConfigured_AreTheSeedFive()
        => Assert.Equal([".csv", ".xlsx", ".pdf", ".jpg", ".png"], new UploadOptions().EffectiveAllowedExtensions);

    private void AssertFails(UploadOptions options, string expectedFragment)
    {
        var result = _validator.Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(expectedFragment, StringComparison.Ordinal));
    }
}
