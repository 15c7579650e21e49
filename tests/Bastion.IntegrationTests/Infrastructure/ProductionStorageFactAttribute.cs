namespace Bastion.IntegrationTests.Infrastructure;

/// <summary>
/// A test about sharing state between nodes: it needs PostgreSQL and Redis, so it runs in the suite's
/// PostgreSQL + Redis pass and is reported as skipped in the embedded (SQLite + in-process) pass.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ProductionStorageFactAttribute : FactAttribute
{
    public ProductionStorageFactAttribute()
    {
        if (!TestEnvironment.UsePostgres)
        {
            Skip = "Runs in the PostgreSQL + Redis pass of scripts/test.sh.";
        }
    }
}
