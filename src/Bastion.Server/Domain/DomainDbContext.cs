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
        AuditOutboxRecord.Map(modelBuilder);

        SnakeCaseColumns.Apply(modelBuilder);

        if (Database.IsSqlite())
        {
            SqliteTimeConvention.Apply(modelBuilder);
        }
        else
        {
            modelBuilder.HasDbFunction(typeof(EquipmentSearchTokens).GetMethod(nameof(EquipmentSearchTokens.Match))!).HasName("equipment_search_tokens_match");
        }
    }
}
