namespace Bastion.Accounts.Passwords;

/// <summary>One password-hashing algorithm with fixed parameters and its encoded form.</summary>
internal interface IPasswordHashScheme
{
    PasswordHashAlgorithm Algorithm { get; }

    /// <summary>Whether the encoded hash claims to be of this scheme (by its prefix); says nothing of its validity.</summary>
    bool Recognizes(string encodedHash);

    string Hash(ReadOnlySpan<byte> password);

    /// <summary>False for a mismatch and for a malformed hash; never throws for bad input.</summary>
    bool Verify(ReadOnlySpan<byte> password, string encodedHash);

    /// <summary>Whether the hash was made with other parameters than this instance's.</summary>
    bool NeedsRehash(string encodedHash);
}
