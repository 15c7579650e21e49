using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Storage;

/// <summary>
/// The relational store. The schema itself is owned by the versioned SQL scripts under Migrations/ (applied by
/// <see cref="SchemaMigrator"/>); this model only maps onto it, so the two must agree column by column.
/// </summary>
public sealed class BastionDbContext(DbContextOptions<BastionDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<User> Users => Set<User>();
    public DbSet<Role> Roles => Set<Role>();
    public DbSet<UserRole> UserRoles => Set<UserRole>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Permission> Permissions => Set<Permission>();
    public DbSet<RolePermission> RolePermissions => Set<RolePermission>();
    public DbSet<SigningKeyRecord> SigningKeys => Set<SigningKeyRecord>();
    public DbSet<TokenFamily> TokenFamilies => Set<TokenFamily>();
    public DbSet<RefreshTokenRecord> RefreshTokens => Set<RefreshTokenRecord>();
    public DbSet<AccessTokenRevocation> AccessTokenRevocations => Set<AccessTokenRevocation>();
    public DbSet<AccountToken> AccountTokens => Set<AccountToken>();
    public DbSet<AuditOutboxRecord> AuditOutbox => Set<AuditOutboxRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            user.HasIndex(u => u.NormalizedEmail).IsUnique();
            user.HasMany(u => u.Roles).WithOne().HasForeignKey(r => r.UserId);
            user.Ignore(u => u.MfaEnabled);
        });

        modelBuilder.Entity<AccountToken>(token =>
        {
            token.ToTable("account_tokens");
            token.HasKey(t => t.TokenHash);
            token.HasOne<User>().WithMany().HasForeignKey(t => t.UserId);
        });

        modelBuilder.Entity<Role>(role =>
        {
            role.ToTable("roles");
            role.HasKey(r => r.Name);
        });

        modelBuilder.Entity<UserRole>(userRole =>
        {
            userRole.ToTable("user_roles");
            userRole.HasKey(r => new { r.UserId, r.RoleName });
        });

        modelBuilder.Entity<DataProtectionKey>(key =>
        {
            key.ToTable("data_protection_keys");
            key.HasKey(k => k.Id);
        });

        MapTokens(modelBuilder);
        MapAccess(modelBuilder);
        AuditOutboxRecord.Map(modelBuilder);
        SnakeCaseColumns.Apply(modelBuilder);

        if (Database.IsSqlite())
        {
            SqliteTimeConvention.Apply(modelBuilder);
        }
    }

    private static void MapAccess(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Permission>(permission =>
        {
            permission.ToTable("permissions");
            permission.HasKey(p => p.Id);
        });

        modelBuilder.Entity<RolePermission>(link =>
        {
            link.ToTable("role_permissions");
            link.HasKey(l => new { l.RoleName, l.PermissionId });
        });
    }

    private static void MapTokens(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SigningKeyRecord>(key =>
        {
            key.ToTable("signing_keys");
            key.HasKey(k => k.Kid);
        });

        modelBuilder.Entity<TokenFamily>(family =>
        {
            family.ToTable("token_families");
            family.HasKey(f => f.Id);
            family.HasOne<User>().WithMany().HasForeignKey(f => f.UserId);
            family.HasMany<RefreshTokenRecord>().WithOne().HasForeignKey(t => t.FamilyId);
        });

        modelBuilder.Entity<RefreshTokenRecord>(token =>
        {
            token.ToTable("refresh_tokens");
            token.HasKey(t => t.TokenHash);
        });

        modelBuilder.Entity<AccessTokenRevocation>(revocation =>
        {
            revocation.ToTable("access_token_revocations");
            revocation.HasKey(r => new { r.Kind, r.Id });
        });
    }
}
