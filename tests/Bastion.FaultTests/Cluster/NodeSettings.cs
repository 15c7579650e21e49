using System.Globalization;
using System.Security.Cryptography;

namespace Bastion.FaultTests.Cluster;

/// <summary>
/// The production configuration both nodes share (as tests/Bastion.IntegrationTests/Hosting/ProductionTests.cs and
/// MultiNodeTests.cs build it): fresh secrets for the run, PostgreSQL + Redis, HTTPS on Kestrel, a bootstrap
/// administrator and SMTP to the catcher. Each node adds its own port and data directory.
/// </summary>
internal static class NodeSettings
{
    public const string AdminEmail = "admin@faults.example";
    public const string Password = "Corr3ct-Horse-Battery!";

    public static Dictionary<string, string> Shared(string postgres, string redis, int smtpPort, NodeCertificate certificate)
    {
        static string Key() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Bastion:Secrets:MasterKey"] = Key(),
            ["Bastion:Encryption:Keys:1"] = Key(),
            ["Bastion:Encryption:CurrentVersion"] = "1",
            ["Bastion:Encryption:BlindIndexKey"] = Key(),
            ["Bastion:Database:Provider"] = "Postgres",
            ["Bastion:Database:ConnectionString"] = postgres,
            ["Bastion:State:Provider"] = "Redis",
            ["Bastion:State:Redis"] = redis,
            ["Bastion:Network:RequireHttps"] = "true",
            // Production's transport rules: PostgreSQL and Redis are on loopback; clients call by address; nothing is scanned.
            ["AllowedHosts"] = "127.0.0.1;localhost",
            ["Bastion:Transport:AllowUnscannedUploads"] = "true",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = certificate.CertificatePath,
            ["Kestrel:Endpoints:Https:Certificate:KeyPath"] = certificate.KeyPath,
            ["Bastion:Bootstrap:AdminEmail"] = AdminEmail,
            ["Bastion:Bootstrap:AdminPassword"] = Password,
            ["Bastion:Email:From"] = "security@faults.example",
            ["Bastion:Email:PublicBaseUrl"] = "https://bastion.example",
            ["Bastion:Email:Smtp:Host"] = "127.0.0.1",
            ["Bastion:Email:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Bastion:Email:Smtp:UseStartTls"] = "false",
            // The load signs in many times from one address; the protections that would refuse it are measured elsewhere.
            ["Bastion:Abuse:RateLimits:Enabled"] = "false",
            ["Bastion:Abuse:Lockout:MaxFailures"] = "1000",
            ["Bastion:Abuse:Lockout:DelayBase"] = "00:00:00",
            ["Bastion:Abuse:IpBlocking:Allowlist:0"] = "127.0.0.0/8",
            ["Bastion:Recovery:ResetEmailsPerHour"] = "20",
            // Revoked and probe tokens must outlive the longest run, so that "accepted" can only mean "not revoked".
            ["Bastion:Tokens:AccessTokenLifetime"] = "01:00:00",
        };
    }

    public static Dictionary<string, string> ForNode(Dictionary<string, string> shared, Uri address, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        return new Dictionary<string, string>(shared)
        {
            ["Kestrel:Endpoints:Https:Url"] = address.ToString().TrimEnd('/'),
            ["Bastion:DataDirectory"] = dataDirectory,
        };
    }
}
