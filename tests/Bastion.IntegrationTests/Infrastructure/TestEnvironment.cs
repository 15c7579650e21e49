namespace Bastion.IntegrationTests.Infrastructure;

/// <summary>
/// Which storage the suite runs on, chosen by the test script: <c>BASTION_TEST_STORAGE=Postgres</c> with
/// <c>BASTION_TEST_POSTGRES</c> (an administrative connection string) and <c>BASTION_TEST_REDIS</c>, or the
/// embedded default (SQLite + in-process state). A Postgres run without its servers fails instead of skipping.
/// </summary>
internal static class TestEnvironment
{
    public static bool UsePostgres => string.Equals(Environment.GetEnvironmentVariable("BASTION_TEST_STORAGE"), "Postgres", StringComparison.OrdinalIgnoreCase);

    public static string PostgresAdmin => Required("BASTION_TEST_POSTGRES");

    public static string Redis => Required("BASTION_TEST_REDIS");

    private static string Required(string name)
        => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the suite through scripts/test.sh, which starts PostgreSQL and Redis.");
}
