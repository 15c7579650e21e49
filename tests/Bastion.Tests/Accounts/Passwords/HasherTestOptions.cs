using Bastion.Accounts.Passwords;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Accounts.Passwords;

/// <summary>
/// Builds hashers with cheap parameters so the suite stays fast. Options.Create skips the options validator on
/// purpose: the parameters are far below what a running node would accept.
/// </summary>
internal static class HasherTestOptions
{
    public const int FastMemoryKiB = 1024;
    public const int FastPbkdf2Iterations = 1000;

    public static PasswordHashingOptions Fast(
        PasswordHashAlgorithm algorithm = PasswordHashAlgorithm.Argon2id, int iterations = 1, int pbkdf2Iterations = FastPbkdf2Iterations) => new()
    {
        Algorithm = algorithm,
        MemoryKiB = FastMemoryKiB,
        Iterations = iterations,
        Pbkdf2Iterations = pbkdf2Iterations,
    };

    public static PasswordHasher Hasher(PasswordHashingOptions options, bool? libsodiumAvailable = null) =>
        libsodiumAvailable is { } available
            ? new PasswordHasher(Options.Create(options), NullLogger<PasswordHasher>.Instance, available)
            : new PasswordHasher(Options.Create(options), NullLogger<PasswordHasher>.Instance);
}
