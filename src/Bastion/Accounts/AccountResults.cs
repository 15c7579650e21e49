using Bastion.Accounts.Passwords;
using Bastion.Storage;
using Bastion.Validation;

namespace Bastion.Accounts;

/// <summary>What a person submits to register (seed UserRegistrationSchema).</summary>
public sealed record Registration(string? Email, string? Password, string? FullName, string? RequestedRole);

/// <summary>The outcome of <see cref="AccountService.RegisterAsync"/>.</summary>
public sealed record RegistrationResult(User? User, FieldErrors? Errors, bool EmailTaken, PasswordEvaluation? Password)
{
    public static RegistrationResult Created(User user, PasswordEvaluation? password) => new(user, null, false, password);

    public static RegistrationResult Invalid(FieldErrors errors, PasswordEvaluation? password) => new(null, errors, false, password);

    public static RegistrationResult Taken() => new(null, null, true, null);
}

public enum SignInFailure
{
    None,
    InvalidCredentials,
    PendingApproval,
    Disabled,

    /// <summary>The password is right, but the address is not verified and <c>Bastion:Recovery:RequireVerifiedEmail</c> is on.</summary>
    EmailUnverified,
}

/// <summary>The outcome of <see cref="AccountService.CheckPasswordAsync"/>.</summary>
public sealed record SignInResult(User? User, SignInFailure Failure)
{
    public bool Succeeded => Failure == SignInFailure.None;

    public static SignInResult Success(User user) => new(user, SignInFailure.None);

    /// <summary>
    /// The account the attempt named, when it exists and the attempt failed. For the audit trail only (the entry's
    /// personal fields are then sealed under that account's key, so erasing the account reaches them); never part of
    /// an answer, which must not tell a known account from an unknown one.
    /// </summary>
    public Guid? Account { get; init; }

    public static SignInResult Failed(SignInFailure failure, Guid? account = null) => new(null, failure) { Account = account };
}

/// <summary>The outcome of <see cref="AccountService.ChangePasswordAsync"/>.</summary>
public sealed record PasswordChangeResult(FieldErrors? Errors, PasswordEvaluation? Password)
{
    public static PasswordChangeResult Changed { get; } = new(null, null);

    public static PasswordChangeResult Invalid(FieldErrors errors, PasswordEvaluation? password) => new(errors, password);
}
