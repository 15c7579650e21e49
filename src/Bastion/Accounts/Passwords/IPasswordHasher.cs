namespace Bastion.Accounts.Passwords;

/// <summary>Hashes and verifies account passwords in a self-describing encoded form.</summary>
public interface IPasswordHasher
{
    /// <summary>Hashes <paramref name="password"/> with a fresh random salt and the configured algorithm.</summary>
    string Hash(string password);

    /// <summary>
    /// Checks <paramref name="password"/> against a stored hash of any supported format. A malformed or unknown
    /// hash gives <see cref="PasswordVerification.Failed"/> rather than an exception.
    /// </summary>
    PasswordVerification Verify(string password, string encodedHash);

    /// <summary>
    /// Spends the time of one verification against a hash of the current parameters, for a sign-in with an
    /// unknown account: the response time must not tell whether the account exists (OWASP Authentication
    /// Cheat Sheet, "Authentication Responses").
    /// </summary>
    void VerifyDummy(string password);
}
