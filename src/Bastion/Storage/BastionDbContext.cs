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

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            user.Property(u => u.Id).HasColumnName("id");
            user.Property(u => u.Email).HasColumnName("email");
            user.Property(u => u.NormalizedEmail).HasColumnName("normalized_email");
            user.HasIndex(u => u.NormalizedEmail).IsUnique();
            user.Property(u => u.FullName).HasColumnName("full_name");
            user.Property(u => u.PasswordHash).HasColumnName("password_hash");
            user.Property(u => u.Status).HasColumnName("status");
            user.Property(u => u.RequestedRole).HasColumnName("requested_role");
            user.Property(u => u.Department).HasColumnName("department");
            user.Property(u => u.SecurityStamp).HasColumnName("security_stamp");
            user.Property(u => u.CreatedAt).HasColumnName("created_at");
            user.Property(u => u.UpdatedAt).HasColumnName("updated_at");
            user.Property(u => u.LastLoginAt).HasColumnName("last_login_at");
            user.HasMany(u => u.Roles).WithOne().HasForeignKey(r => r.UserId);
        });

        modelBuilder.Entity<Role>(role =>
        {
            role.ToTable("roles");
            role.HasKey(r => r.Name);
            role.Property(r => r.Name).HasColumnName("name");
            role.Property(r => r.Rank).HasColumnName("rank");
            role.Property(r => r.Description).HasColumnName("description");
        });

        modelBuilder.Entity<UserRole>(userRole =>
        {
            userRole.ToTable("user_roles");
            userRole.HasKey(r => new { r.UserId, r.RoleName });
            userRole.Property(r => r.UserId).HasColumnName("user_id");
            userRole.Property(r => r.RoleName).HasColumnName("role_name");
        });

        modelBuilder.Entity<DataProtectionKey>(key =>
        {
            key.ToTable("data_protection_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).HasColumnName("id");
            key.Property(k => k.FriendlyName).HasColumnName("friendly_name");
            key.Property(k => k.Xml).HasColumnName("xml");
        });

        MapTokens(modelBuilder);
        MapAccess(modelBuilder);

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
            permission.Property(p => p.Id).HasColumnName("id");
            permission.Property(p => p.Resource).HasColumnName("resource");
            permission.Property(p => p.Action).HasColumnName("action");
            permission.Property(p => p.Condition).HasColumnName("condition");
            permission.Property(p => p.Description).HasColumnName("description");
        });

        modelBuilder.Entity<RolePermission>(link =>
        {
            link.ToTable("role_permissions");
            link.HasKey(l => new { l.RoleName, l.PermissionId });
            link.Property(l => l.RoleName).HasColumnName("role_name");
            link.Property(l => l.PermissionId).HasColumnName("permission_id");
        });
    }

    private static void MapTokens(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SigningKeyRecord>(key =>
        {
            key.ToTable("signing_keys");
            key.HasKey(k => k.Kid);
            key.Property(k => k.Kid).HasColumnName("kid");
            key.Property(k => k.Algorithm).HasColumnName("algorithm");
            key.Property(k => k.PrivateKey).HasColumnName("private_key");
            key.Property(k => k.PublicJwk).HasColumnName("public_jwk");
            key.Property(k => k.CreatedAt).HasColumnName("created_at");
            key.Property(k => k.ActivatesAt).HasColumnName("activates_at");
            key.Property(k => k.RetireAt).HasColumnName("retire_at");
            key.Property(k => k.ExpiresAt).HasColumnName("expires_at");
        });

        modelBuilder.Entity<TokenFamily>(family =>
        {
            family.ToTable("token_families");
            family.HasKey(f => f.Id);
            family.Property(f => f.Id).HasColumnName("id");
            family.Property(f => f.UserId).HasColumnName("user_id");
            family.Property(f => f.Amr).HasColumnName("amr");
            family.Property(f => f.Fingerprint).HasColumnName("fingerprint");
            family.Property(f => f.CreatedAt).HasColumnName("created_at");
            family.Property(f => f.ExpiresAt).HasColumnName("expires_at");
            family.Property(f => f.LastUsedAt).HasColumnName("last_used_at");
            family.Property(f => f.RevokedAt).HasColumnName("revoked_at");
            family.Property(f => f.RevokedReason).HasColumnName("revoked_reason");
            family.HasOne<User>().WithMany().HasForeignKey(f => f.UserId);
            family.HasMany<RefreshTokenRecord>().WithOne().HasForeignKey(t => t.FamilyId);
        });

        modelBuilder.Entity<RefreshTokenRecord>(token =>
        {
            token.ToTable("refresh_tokens");
            token.HasKey(t => t.TokenHash);
            token.Property(t => t.TokenHash).HasColumnName("token_hash");
            token.Property(t => t.FamilyId).HasColumnName("family_id");
            token.Property(t => t.CreatedAt).HasColumnName("created_at");
            token.Property(t => t.ExpiresAt).HasColumnName("expires_at");
            token.Property(t => t.ConsumedAt).HasColumnName("consumed_at");
        });
    }
}
