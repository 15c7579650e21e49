using Bastion.Hosting;
using Bastion.State;
using Bastion.Storage;
using Bastion.Tests.Encryption;
using Bastion.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Hosting;

public sealed class TransportOptionsValidatorTests
{
    private const string Password = "Yq3vN8rT2wLx6pKc9ZbM4hJd";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("bastion.example.com;*")]
    public void HostProblem_AnyHostAllowed_SaysToListTheHostNames(string? allowedHosts)
        => Assert.Contains("Set AllowedHosts to this site's host names", TransportOptionsValidator.HostProblem(allowedHosts), StringComparison.Ordinal);

    [Fact]
    public void HostProblem_ListedHosts_IsNone()
        => Assert.Null(TransportOptionsValidator.HostProblem("bastion.example.com;www.bastion.example.com"));

    [Theory]
    [InlineData("Host=db.example.com")]
    [InlineData("Host=db.example.com;SSL Mode=Require")]
    [InlineData("Host=10.0.0.5;SSL Mode=Prefer")]
    [InlineData("Host=127.0.0.1,db.example.com;SSL Mode=Require")]
    public void DatabaseProblem_RemoteWithoutCertificateCheck_SaysToVerify(string connection)
    {
        var problem = TransportOptionsValidator.DatabaseProblem(Postgres(connection));

        Assert.Contains("SSL Mode=VerifyFull", problem, StringComparison.Ordinal);
        Assert.Contains("Bastion:Transport:AllowInsecureDatabase=true", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db.example.com;SSL Mode=VerifyFull")]
    [InlineData("Host=db.example.com;SSL Mode=VerifyCA")]
    [InlineData("Host=127.0.0.1")]
    [InlineData("Host=localhost;SSL Mode=Disable")]
    [InlineData("Host=::1")]
    [InlineData("Host=/var/run/postgresql")]
    public void DatabaseProblem_VerifiedOrLocal_IsNone(string connection)
        => Assert.Null(TransportOptionsValidator.DatabaseProblem(Postgres(connection)));

    [Fact]
    public void DatabaseProblem_Sqlite_IsNone()
        => Assert.Null(TransportOptionsValidator.DatabaseProblem(new DatabaseOptions { ConnectionString = "Data Source=/data/bastion.db" }));

    [Theory]
    [InlineData("redis.example.com:6379")]
    [InlineData("10.0.0.7:6379")]
    public void RedisProblem_NotLoopback_SaysWhatToSet(string endpoint)
        => Assert.Contains("Bastion:Transport:AllowInsecureRedis=true", TransportOptionsValidator.RedisProblem(Redis(endpoint)), StringComparison.Ordinal);

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("localhost:6379")]
    [InlineData("[::1]:6379")]
    public void RedisProblem_Loopback_IsNone(string endpoint)
        => Assert.Null(TransportOptionsValidator.RedisProblem(Redis(endpoint)));

    [Fact]
    public void UploadProblem_WithoutScanner_SaysWhatToSet()
    {
        Assert.Contains("Bastion:Transport:AllowUnscannedUploads=true", TransportOptionsValidator.UploadProblem(new UploadOptions()), StringComparison.Ordinal);
        var scanned = new UploadOptions();
        scanned.ClamAv.Socket = "/run/clamav/clamd.ctl";
        Assert.Null(TransportOptionsValidator.UploadProblem(scanned));
    }

    [Fact]
    public void Validate_InProductionWithEveryRuleBroken_FailsOncePerRule()
    {
        var result = Validator("Production", "*", Postgres("Host=db.example.com"), Redis("redis.example.com:6379")).Validate(null, new TransportOptions());

        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
    }

    [Fact]
    public void Validate_InProductionWithEachExceptionSet_Succeeds()
    {
        var options = new TransportOptions { AllowAnyHost = true, AllowInsecureDatabase = true, AllowInsecureRedis = true, AllowUnscannedUploads = true };

        Assert.True(Validator("Production", "*", Postgres("Host=db.example.com"), Redis("redis.example.com:6379")).Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_InDevelopment_Succeeds()
        => Assert.True(Validator("Development", "*", Postgres("Host=db.example.com"), Redis("redis.example.com:6379")).Validate(null, new TransportOptions()).Succeeded);

    private static DatabaseOptions Postgres(string connection)
        => new() { Provider = DatabaseProvider.Postgres, ConnectionString = $"{connection};Username=bastion;Password={Password}" };

    private static StateOptions Redis(string endpoint)
        => new() { Provider = StateProvider.Redis, Redis = $"{endpoint},password={Password}" };

    private static TransportOptionsValidator Validator(string environment, string allowedHosts, DatabaseOptions database, StateOptions state)
        => new(
            new TestHostEnvironment(environment),
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AllowedHosts"] = allowedHosts }).Build(),
            Options.Create(database),
            Options.Create(state),
            Options.Create(new UploadOptions()),
            NullLogger<TransportOptionsValidator>.Instance);
}
