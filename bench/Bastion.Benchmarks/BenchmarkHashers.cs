using Bastion.Accounts.Passwords;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bastion.Benchmarks;

/// <summary>The production hasher with its default parameters, as a server without hashing settings uses it.</summary>
internal static class BenchmarkHashers
{
    /// <summary>A password that passes the default policy, as the load host seeds it.</summary>
    public const string Password = "Corr3ct-Horse-Battery!";

    public static PasswordHasher Create(PasswordHashAlgorithm algorithm)
        => new(Options.Create(new PasswordHashingOptions { Algorithm = algorithm }), NullLogger<PasswordHasher>.Instance);
}
