namespace Bastion.Accounts.Passwords;

/// <summary>The outcome of <see cref="IPasswordHasher.Verify"/>.</summary>
public enum PasswordVerification
{
    /// <summary>The password does not match, or the stored hash is malformed or of an unknown format.</summary>
    Failed = 0,

    /// <summary>The password matches and the stored hash uses the current algorithm and parameters.</summary>
    Success = 1,

    /// <summary>The password matches; store <see cref="IPasswordHasher.Hash"/> of it to move to the current parameters.</summary>
    SuccessRehashNeeded = 2,
}
