using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Bastion.Email;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Recovery;

/// <summary>
/// The single-use tokens Bastion e-mails (<see cref="AccountToken"/>): 256 bits from the CSPRNG, sent as base64url
/// and stored only as their SHA-256, so a copy of the database holds no usable link (OWASP Forgot Password Cheat
/// Sheet; ASVS 5.0 V6.4, factor lifecycle and recovery). A token is good while unused, unexpired, the newest of its kind for the user, and issued
/// under the user's current security stamp, so any credential change withdraws it.
/// </summary>
public sealed class AccountTokens(BastionDbContext db, IEmailOutbox outbox, TimeProvider time)
{
    private const int TokenBytes = 32;
    private const int TokenLength = 43;

    /// <summary>Issues a token for <paramref name="user"/>; every earlier token of the same purpose stops working.</summary>
    public async Task<string> IssueAsync(User user, string purpose, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.AccountTokens.Where(t => t.UserId == user.Id && t.Purpose == purpose).ExecuteDeleteAsync(cancellationToken);

        var value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        db.AccountTokens.Add(new AccountToken
        {
            TokenHash = Hash(value),
            UserId = user.Id,
            Purpose = purpose,
            SecurityStamp = user.SecurityStamp,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return value;
    }

    /// <summary>
    /// Issues a token (as <see cref="IssueAsync"/>) and queues the message <paramref name="compose"/> makes with it in
    /// one transaction, so that a crash leaves both or neither: never a mail whose link does not work, nor a token
    /// whose mail is lost. Joins the caller's transaction when one is open.
    /// </summary>
    public async Task IssueAndMailAsync(User user, string purpose, TimeSpan lifetime, Func<string, EmailMessage> compose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compose);
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var token = await IssueAsync(user, purpose, lifetime, cancellationToken);
        await outbox.EnqueueAsync(compose(token), db, cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The same statement <see cref="IssueAsync"/> starts with, for a user that does not exist: a request for an
    /// unknown address then costs a comparable round trip (OWASP Forgot Password Cheat Sheet, "consistent time").
    /// </summary>
    public Task DeleteNoneAsync(string purpose, CancellationToken cancellationToken)
    {
        var nobody = Guid.Empty;
        return db.AccountTokens.Where(t => t.UserId == nobody && t.Purpose == purpose).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// The token and its user, when <paramref name="value"/> is a live token of <paramref name="purpose"/> whose user
    /// still has the stamp it was issued under and is not disabled; null otherwise, whatever the reason.
    /// </summary>
    public async Task<(AccountToken Token, User User)?> FindAsync(string? value, string purpose, CancellationToken cancellationToken)
    {
        if (value is not { Length: TokenLength } || !Base64Url.IsValid(value))
        {
            return null;
        }

        var hash = Hash(value);
        var now = time.GetUtcNow();
        var token = await db.AccountTokens.AsNoTracking()
            .FirstOrDefaultAsync(t => t.TokenHash == hash && t.Purpose == purpose && t.UsedAt == null && t.ExpiresAt > now, cancellationToken);
        if (token is null)
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == token.UserId, cancellationToken);
        return user is null || user.Status == UserStatus.Disabled || !string.Equals(user.SecurityStamp, token.SecurityStamp, StringComparison.Ordinal)
            ? null
            : (token, user);
    }

    /// <summary>
    /// Marks the token used. One conditional UPDATE decides a race: of concurrent uses of one token exactly one
    /// changes the row and gets true.
    /// </summary>
    public async Task<bool> ClaimAsync(AccountToken token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claimed = await db.AccountTokens
            .Where(t => t.TokenHash == token.TokenHash && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        return claimed == 1;
    }

    private static string Hash(string value) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(value)));
}
