using System.IO.Pipelines;
using System.Text.Json;
using Bastion.Audit;
using Bastion.Mfa;
using Bastion.Sessions;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Accounts;

/// <summary>
/// Everything Bastion keeps about one user, for that user (GDPR art. 15 and 20: access and portability), as one
/// JSON document: the account with its roles and second-factor state, the live sessions, the token families and
/// every audit entry about the user, oldest first (streamed, so a long history does not sit in memory). Never a
/// secret: no password hash, TOTP secret, recovery-code, token or session-cookie values, only whether they exist.
/// </summary>
public sealed class PersonalDataExport(BastionDbContext db, SessionStore sessions, IAuditReader audit, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes the document for <paramref name="userId"/>; false, writing nothing, for an unknown user.</summary>
    public async Task<bool> WriteAsync(Guid userId, PipeWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var user = await db.Users.AsNoTracking().Include(u => u.Roles).FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return false;
        }

        var families = await db.TokenFamilies.AsNoTracking().Where(f => f.UserId == userId).OrderBy(f => f.CreatedAt).ToListAsync(cancellationToken);
        var live = await sessions.ListAsync(userId, cancellationToken);

        // Into the pipe's buffer, sent with FlushAsync: a writer over a stream would write synchronously when full.
        await using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("exportedAt", time.GetUtcNow());
        writer.WritePropertyName("account");
        JsonSerializer.Serialize(writer, new ExportedAccount(
            user.Id, user.Email, user.FullName, user.Department, user.Status, user.Roles.Select(r => r.RoleName).Order(StringComparer.Ordinal).ToList(),
            user.RequestedRole, user.CreatedAt, user.UpdatedAt, user.LastLoginAt, user.EmailVerifiedAt, user.PendingEmail,
            new ExportedSecondFactors(user.TotpSecret is not null, user.EmailMfaEnabled, user.MfaEnabledAt,
                user.RecoveryCodes is null ? 0 : RecoveryCodes.CountRemaining(user.RecoveryCodes))), Json);
        writer.WritePropertyName("sessions");
        JsonSerializer.Serialize(writer, live.Select(s => new ExportedSession(
            s.Record.CreatedAt, s.Record.LastSeenAt, s.Record.ExpiresAt, s.Record.IpAddress, s.Record.UserAgent, s.Record.Amr)), Json);
        writer.WritePropertyName("tokenFamilies");
        JsonSerializer.Serialize(writer, families.Select(f => new ExportedTokenFamily(
            f.Id, f.CreatedAt, f.LastUsedAt, f.ExpiresAt, f.RevokedAt, f.RevokedReason, f.Amr.Split(' ', StringSplitOptions.RemoveEmptyEntries))), Json);

        writer.WriteStartArray("auditTrail");
        await foreach (var record in audit.ReadAsync(new AuditQuery { UserId = userId, NewestFirst = false }, cancellationToken))
        {
            AuditRecordJson.Write(writer, record);
            if (writer.BytesPending > 32 * 1024)
            {
                writer.Flush();
                await output.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        await output.FlushAsync(cancellationToken);
        return true;
    }

    private sealed record ExportedAccount(
        Guid Id, string Email, string FullName, string? Department, string Status, IReadOnlyList<string> Roles, string? RequestedRole,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastLoginAt, DateTimeOffset? EmailVerifiedAt, string? PendingEmail,
        ExportedSecondFactors SecondFactors);

    private sealed record ExportedSecondFactors(bool Totp, bool Email, DateTimeOffset? EnabledAt, int RecoveryCodesRemaining);

    private sealed record ExportedSession(
        DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, string? IpAddress, string? UserAgent, IReadOnlyList<string> Amr);

    private sealed record ExportedTokenFamily(
        Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, string? RevokedReason,
        IReadOnlyList<string> Amr);
}
