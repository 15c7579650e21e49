namespace Bastion.FaultTests;

/// <summary>
/// Where scripts/faults.sh started the services and put the build: read from FAULTS_* environment variables, so the
/// driver itself installs nothing and can be pointed at services started by hand.
/// </summary>
internal sealed record FaultEnvironment(
    string WorkDirectory,
    string ServerDll,
    string PostgresAdmin,
    string PostgresBin,
    string PostgresData,
    string PostgresLog,
    string? PostgresOsUser,
    int RedisPort,
    string RedisPassword,
    string RedisDirectory,
    int SmtpPort,
    int MailWebPort,
    IReadOnlyList<int> NodePorts)
{
    public static FaultEnvironment FromVariables()
    {
        var ports = Required("FAULTS_NODE_PORTS").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        if (ports.Count != 2)
        {
            throw new InvalidOperationException("FAULTS_NODE_PORTS must name two ports, e.g. 55604,55605.");
        }

        return new FaultEnvironment(
            Required("FAULTS_WORK_DIR"),
            Required("FAULTS_SERVER_DLL"),
            Required("FAULTS_POSTGRES"),
            Required("FAULTS_PG_BIN"),
            Required("FAULTS_PG_DATA"),
            Required("FAULTS_PG_LOG"),
            Environment.GetEnvironmentVariable("FAULTS_PG_OS_USER") is { Length: > 0 } user ? user : null,
            int.Parse(Required("FAULTS_REDIS_PORT"), System.Globalization.CultureInfo.InvariantCulture),
            Required("FAULTS_REDIS_PASSWORD"),
            Required("FAULTS_REDIS_DIR"),
            int.Parse(Required("FAULTS_SMTP_PORT"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Required("FAULTS_MAIL_WEB_PORT"), System.Globalization.CultureInfo.InvariantCulture),
            ports);
    }

    private static string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{name} is not set; run the suite through scripts/faults.sh.");
}
