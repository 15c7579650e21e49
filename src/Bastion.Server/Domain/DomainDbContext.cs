using System.Text;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Server.Domain;

/// <summary>The sample domain's tables, created by the scripts under Domain/Migrations (component "domain").</summary>
public sealed class DomainDbContext(DbContextOptions<DomainDbContext> options) : DbContext(options)
{
    public DbSet<Equipment> Equipment => Set<Equipment>();
    public DbSet<EquipmentAttachment> Attachments => Set<EquipmentAttachment>();
    public DbSet<Report> Reports => Set<Report>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<Equipment>().ToTable("equipment");
        modelBuilder.Entity<EquipmentAttachment>().ToTable("equipment_attachments");
        modelBuilder.Entity<Report>().ToTable("reports");

        // Columns are the snake_case of the property names, as in the SQL scripts.
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(t => t.GetProperties()))
        {
            property.SetColumnName(SnakeCase(property.Name));
        }

        if (Database.IsSqlite())
        {
            SqliteTimeConvention.Apply(modelBuilder);
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
