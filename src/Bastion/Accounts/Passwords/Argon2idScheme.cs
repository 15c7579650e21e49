namespace Bastion.Accounts.Passwords;

/// <summary>
/// Argon2id (RFC 9106) through libsodium, in its self-describing form <c>$argon2id$v=19$m=19456,t=2,p=1$…</c>.
/// libsodium always uses one lane (p = 1) and a 16-byte random salt, as the OWASP Password Storage Cheat Sheet's
/// configurations assume.
/// </summary>
internal sealed class Argon2idScheme : IPasswordHashScheme
{
    public const string Prefix = "$argon2id$";

    private readonly ulong _iterations;
    private readonly nuint _memoryBytes;

    public Argon2idScheme(int memoryKiB, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memoryKiB);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        _memoryBytes = (nuint)memoryKiB * 1024;
        _iterations = (ulong)iterations;
    }

    public PasswordHashAlgorithm Algorithm => PasswordHashAlgorithm.Argon2id;

    public bool Recognizes(string encodedHash) => encodedHash.StartsWith(Prefix, StringComparison.Ordinal);

    public string Hash(ReadOnlySpan<byte> password) => Libsodium.HashArgon2id(password, _iterations, _memoryBytes);

    public bool Verify(ReadOnlySpan<byte> password, string encodedHash) =>
        Recognizes(encodedHash) && Libsodium.Verify(encodedHash, password);

    public bool NeedsRehash(string encodedHash) => Libsodium.NeedsRehash(encodedHash, _iterations, _memoryBytes);
}
