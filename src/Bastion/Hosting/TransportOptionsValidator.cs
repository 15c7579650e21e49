using System.Net;
using Bastion.Redis;
using Bastion.State;
using Bastion.Storage;
using Bastion.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bastion.Hosting;

/// <summary>
/// A node outside Development refuses to start when its traffic could be read or redirected: a Host header it does not
/// check (password-reset links and redirects are built from it), a database or Redis reached over the network without
/// verified TLS (OWASP ASVS 9.2.2, authenticated and encrypted connections to back-end services), or uploads no scanner
/// looks at. Loopback connections never leave the machine and pass; each rule has an explicit exception in
/// <see cref="TransportOptions"/>, logged as a warning at every start.
/// </summary>
internal sealed partial class TransportOptionsValidator(
    IHostEnvironment environment,
    IConfiguration configuration,
    IOptions<DatabaseOptions> database,
    IOptions<StateOptions> state,
    IOptions<UploadOptions> uploads,
    ILogger<TransportOptionsValidator> logger) : IValidateOptions<TransportOptions>
{
    public ValidateOptionsResult Validate(string? name, TransportOptions options)
    {
        if (environment.IsDevelopment())
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        Check(options.AllowAnyHost, nameof(TransportOptions.AllowAnyHost), HostProblem(configuration["AllowedHosts"]), failures);
        Check(options.AllowInsecureDatabase, nameof(TransportOptions.AllowInsecureDatabase), DatabaseProblem(database.Value), failures);
        Check(options.AllowInsecureRedis, nameof(TransportOptions.AllowInsecureRedis), RedisProblem(state.Value), failures);
        Check(options.AllowUnscannedUploads, nameof(TransportOptions.AllowUnscannedUploads), UploadProblem(uploads.Value), failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static string? HostProblem(string? allowedHosts)
        => string.IsNullOrWhiteSpace(allowedHosts) || allowedHosts.Split(';', StringSplitOptions.TrimEntries).Contains("*")
            ? $"AllowedHosts is '{allowedHosts}', so any Host header is answered and links built from it can point elsewhere. Set AllowedHosts to this site's host names separated by ';' (AllowedHosts=bastion.example.com), or set Bastion:Transport:AllowAnyHost=true when a proxy in front already refuses other hosts."
            : null;

    internal static string? DatabaseProblem(DatabaseOptions options)
    {
        if (options.Provider != DatabaseProvider.Postgres || string.IsNullOrEmpty(options.ConnectionString))
        {
            return null;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException)
        {
            // DatabaseOptionsValidator reports an unreadable connection string.
            return null;
        }

        // Npgsql takes a comma-separated host list; a path is a Unix socket, which never leaves the machine.
        var hosts = (builder.Host ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var local = hosts.Length > 0 && hosts.All(h => h.StartsWith('/') || IsLoopback(h) || IsLoopback(h[..Math.Max(0, h.LastIndexOf(':'))]));
        return local || builder.SslMode is SslMode.VerifyFull or SslMode.VerifyCA
            ? null
            : $"Bastion:Database:ConnectionString reaches {string.Join(", ", hosts)} with SSL Mode={builder.SslMode}, which does not verify the server's certificate. Add 'SSL Mode=VerifyFull' (with 'Root Certificate=' the CA's file when it is not in the system store), or set Bastion:Transport:AllowInsecureDatabase=true when the network is otherwise protected.";
    }

    internal static string? RedisProblem(StateOptions options)
    {
        if (options.Provider != StateProvider.Redis || string.IsNullOrEmpty(options.Redis))
        {
            return null;
        }

        RedisConnectionOptions redis;
        try
        {
            redis = RedisConnectionOptions.Parse(options.Redis);
        }
        catch (FormatException)
        {
            // StateOptionsValidator reports an unreadable configuration.
            return null;
        }

        return IsLoopback(redis.Host)
            ? null
            : $"Bastion:State:Redis reaches {redis.Host}, which is not loopback, and the Redis client has no TLS: sessions and keys would cross the network in the clear. Run Redis on this machine (127.0.0.1), or set Bastion:Transport:AllowInsecureRedis=true when the network is otherwise protected (a private link or a TLS tunnel such as stunnel).";
    }

    internal static string? UploadProblem(UploadOptions options)
        => options.ClamAv.IsEnabled
            ? null
            : "No virus scanner is configured for uploads. Set Bastion:Uploads:ClamAv:Socket or Bastion:Uploads:ClamAv:Host to a clamd, or set Bastion:Transport:AllowUnscannedUploads=true to accept files unscanned.";

    private static bool IsLoopback(string host)
        => string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private void Check(bool allowed, string setting, string? problem, List<string> failures)
    {
        if (problem is null)
        {
            return;
        }

        if (allowed)
        {
            Log.ExceptionInEffect(logger, setting);
            return;
        }

        failures.Add(problem);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Bastion:Transport:{Setting}=true: a production transport rule is switched off for this node", EventName = "TransportRuleOff")]
        public static partial void ExceptionInEffect(ILogger logger, string setting);
    }
}
