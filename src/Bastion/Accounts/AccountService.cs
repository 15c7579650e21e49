using Bastion.Accounts.Passwords;
using Bastion.Audit;
using Bastion.Recovery;
using Bastion.Protection;
using Bastion.Storage;
using Bastion.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Accounts;

/// <summary>Registration and password sign-in against the account store.</summary>
public sealed partial class AccountService(
    BastionDbContext db,
    IPasswordHasher hasher,
    PasswordPolicy policy,
    IAuditLog audit,
    Tokens.TokenService tokens,
    Email.IEmailOutbox outbox,
    Email.EmailTemplates templates,
    TimeProvider time,
    IOptions<RecoveryOptions> recovery,
    ILogger<AccountService> logger)
{
    /// <summary>Validates and creates an account. A role above the default makes it wait for an administrator.</summary>
    public async Task<RegistrationResult> RegisterAsync(Registration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var errors = new FieldErrors();
        if (EmailAddress.Validate(registration.Email) is { } emailError)
        {
            errors.Add("email", emailError);
        }

        if (PersonName.Validate(registration.FullName) is { } nameError)
        {
            errors.Add("fullName", nameError);
        }

        var requestedRole = registration.RequestedRole?.Trim().ToLowerInvariant();
        if (requestedRole is not null && (!Roles.All.Contains(requestedRole) || requestedRole == Roles.SuperAdmin))
        {
            errors.Add("requestedRole", $"Requested role must be one of: {string.Join(", ", Roles.All.Where(r => r != Roles.SuperAdmin))}.");
        }

        PasswordEvaluation? evaluation = null;
        if (string.IsNullOrEmpty(registration.Password))
        {
            errors.Add("password", "Password is required.");
        }
        else
        {
            evaluation = policy.Evaluate(registration.Password, registration.Email, registration.FullName);
            foreach (var failure in evaluation.Failures)
            {
                errors.Add("password", failure.Message);
            }
        }

        if (!errors.IsEmpty)
        {
            return RegistrationResult.Invalid(errors, evaluation);
        }

        var normalizedEmail = EmailAddress.Normalize(registration.Email!);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken))
        {
            return RegistrationResult.Taken();
        }

        var needsApproval = requestedRole is not null && requestedRole != Roles.Default;
        var user = NewUser(registration.Email!, registration.FullName!, hasher.Hash(registration.Password!),
            needsApproval ? UserStatus.PendingApproval : UserStatus.Active, Roles.Default);
        user.RequestedRole = needsApproval ? requestedRole : null;

        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (!DependencyFailure.IsTransient(exception))
        {
            db.ChangeTracker.Clear();
            if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken))
            {
                // Two registrations raced; the unique index let exactly one through.
                return RegistrationResult.Taken();
            }

            throw;
        }

        Log.UserRegistered(logger, user.Id, user.Status);
        return RegistrationResult.Created(user, evaluation);
    }

    /// <summary>
    /// Checks an e-mail and password. An unknown e-mail costs one hash verification against a dummy hash, so
    /// neither the answer nor its timing tells whether the account exists (OWASP Authentication Cheat Sheet).
    /// </summary>
    public async Task<SignInResult> CheckPasswordAsync(string? email, string? password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(password))
        {
            hasher.VerifyDummy(password ?? string.Empty);
            return SignInResult.Failed(SignInFailure.InvalidCredentials);
        }

        var normalizedEmail = EmailAddress.Normalize(email);
        var user = await db.Users.Include(u => u.Roles).FirstOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        if (user is null)
        {
            hasher.VerifyDummy(password);
            return SignInResult.Failed(SignInFailure.InvalidCredentials);
        }

        var verification = hasher.Verify(password, user.PasswordHash);
        if (verification == PasswordVerification.Failed)
        {
            return SignInResult.Failed(SignInFailure.InvalidCredentials, user.Id);
        }

        // Only someone who knows the password learns that the account is waiting or disabled.
        if (user.Status != UserStatus.Active)
        {
            return SignInResult.Failed(user.Status == UserStatus.Disabled ? SignInFailure.Disabled : SignInFailure.PendingApproval, user.Id);
        }

        // Opt-in (Bastion:Recovery:RequireVerifiedEmail): only after the password, so it tells nothing to a guesser.
        if (recovery.Value.RequireVerifiedEmail && user.EmailVerifiedAt is null)
        {
            return SignInResult.Failed(SignInFailure.EmailUnverified, user.Id);
        }

        if (verification == PasswordVerification.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.Hash(password);
            Log.PasswordRehashed(logger, user.Id);
        }

        // With a second factor the sign-in is not done yet: the second step records it.
        if (!user.MfaEnabled)
        {
            user.LastLoginAt = time.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken);
        return SignInResult.Success(user);
    }

    /// <summary>
    /// Changes a password after checking the current one and ends every session and token family of the user but
    /// <paramref name="keepSession"/> (OWASP Session Management Cheat Sheet: renew after a password change). The new
    /// password, <paramref name="audited"/> (its audit entry) and the revocations commit together: were the revocations
    /// left for afterwards, a failure in between would leave the password changed and the families that the change
    /// was meant to end (perhaps an intruder's) alive, with nothing left for a retry to do. The owner's notice is
    /// queued in the same transaction.
    /// </summary>
    public async Task<PasswordChangeResult> ChangePasswordAsync(
        Guid userId, string? currentPassword, string? newPassword, AuditEvent audited, string? keepSession, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || string.IsNullOrEmpty(currentPassword) || hasher.Verify(currentPassword, user.PasswordHash) == PasswordVerification.Failed)
        {
            return PasswordChangeResult.Invalid(new FieldErrors().Add("currentPassword", "The current password is not correct."), null);
        }

        var errors = EvaluateNewPassword(user, newPassword, out var evaluation);
        if (evaluation is not null && string.Equals(newPassword, currentPassword, StringComparison.Ordinal))
        {
            errors.Add("newPassword", "The new password must differ from the current one.");
        }

        if (!errors.IsEmpty)
        {
            return PasswordChangeResult.Invalid(errors, evaluation);
        }

        user.PasswordHash = hasher.Hash(newPassword!);
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.UpdatedAt = time.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            audit.Stage(db, audited);
            await db.SaveChangesAsync(cancellationToken);
            await tokens.RevokeUserAsync(user.Id, "password_changed", keepSession, cancellationToken);

            // The owner hears of every change, not only of a reset (ASVS 5.0 §6.3.7): if it was not them, the mail is
            // how they learn that someone holds their password and a session.
            await outbox.EnqueueAsync(templates.SecurityNotice(user.Email, user.FullName, Email.SecurityNoticeKind.PasswordChanged,
                Email.SecurityNoticeDetails.For(audited, user.UpdatedAt)), db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        Log.PasswordChanged(logger, user.Id);
        return PasswordChangeResult.Changed;
    }

    /// <summary>
    /// Checks a new password for <paramref name="user"/> against the policy (which refuses one close to the name or
    /// address); the messages are keyed <c>newPassword</c>, as the change and reset APIs name the field.
    /// </summary>
    public FieldErrors EvaluateNewPassword(User user, string? newPassword, out PasswordEvaluation? evaluation)
    {
        ArgumentNullException.ThrowIfNull(user);
        var errors = new FieldErrors();
        evaluation = null;
        if (string.IsNullOrEmpty(newPassword))
        {
            return errors.Add("newPassword", "New password is required.");
        }

        evaluation = policy.Evaluate(newPassword, user.Email, user.FullName);
        foreach (var failure in evaluation.Failures)
        {
            errors.Add("newPassword", failure.Message);
        }

        return errors;
    }

    /// <summary>Creates the first super_admin from configuration, once: nothing happens when one exists.</summary>
    public async Task<bool> BootstrapAdminAsync(string email, string password, string fullName, CancellationToken cancellationToken = default)
    {
        if (await db.UserRoles.AnyAsync(r => r.RoleName == Roles.SuperAdmin, cancellationToken))
        {
            return false;
        }

        // Someone registered the configured address before the first start: never promote that account, and
        // say so, because the operator believes the address is theirs.
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == EmailAddress.Normalize(email), cancellationToken))
        {
            Log.BootstrapEmailTaken(logger);
            return false;
        }

        var user = NewUser(email, fullName, hasher.Hash(password), UserStatus.Active, Roles.SuperAdmin);

        // The operator chose this address in the configuration: there is nobody to send a verification link to first.
        user.EmailVerifiedAt = user.CreatedAt;
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (!DependencyFailure.IsTransient(exception))
        {
            // Another node bootstrapped the same account at the same moment.
            db.ChangeTracker.Clear();
            return false;
        }

        Log.AdminBootstrapped(logger, user.Id);
        return true;
    }

    private User NewUser(string email, string fullName, string passwordHash, string status, string role)
    {
        var now = time.GetUtcNow();
        var user = new User
        {
            Id = Guid.CreateVersion7(now),
            Email = email.Trim(),
            NormalizedEmail = EmailAddress.Normalize(email),
            FullName = PersonName.Normalize(fullName),
            PasswordHash = passwordHash,
            Status = status,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.Roles.Add(new UserRole { UserId = user.Id, RoleName = role });
        return user;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Registered user {UserId} with status {Status}", EventName = "UserRegistered")]
        public static partial void UserRegistered(ILogger logger, Guid userId, string status);

        [LoggerMessage(2, LogLevel.Information, "Re-hashed the password of user {UserId} with the current parameters", EventName = "PasswordRehashed")]
        public static partial void PasswordRehashed(ILogger logger, Guid userId);

        [LoggerMessage(3, LogLevel.Warning, "Created the bootstrap super_admin {UserId}", EventName = "AdminBootstrapped")]
        public static partial void AdminBootstrapped(ILogger logger, Guid userId);

        [LoggerMessage(5, LogLevel.Error, "Bastion:Bootstrap:AdminEmail belongs to an existing account that is not a super_admin; no administrator was created. Use another address.", EventName = "BootstrapEmailTaken")]
        public static partial void BootstrapEmailTaken(ILogger logger);

        [LoggerMessage(4, LogLevel.Information, "User {UserId} changed their password", EventName = "PasswordChanged")]
        public static partial void PasswordChanged(ILogger logger, Guid userId);
    }
}
