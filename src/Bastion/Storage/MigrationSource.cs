using System.Reflection;

namespace Bastion.Storage;

/// <summary>
/// A component's schema scripts: embedded resources named <c>{ResourcePrefix}.{Sqlite|Postgres}.NNNN_name.sql</c>.
/// Bastion's own come first; a host adds its own with <c>AddBastionMigrations</c> and gets the same start-up
/// locking, ordering and checksums.
/// </summary>
public sealed record MigrationSource(string Component, Assembly Assembly, string ResourcePrefix)
{
    public static MigrationSource Bastion { get; } = new("bastion", typeof(MigrationSource).Assembly, "Bastion.Storage.Migrations");
}
