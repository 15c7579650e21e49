using Microsoft.Extensions.Options;

namespace Bastion.Accounts.Passwords;

/// <summary>Refuses hashing parameters below the OWASP Password Storage Cheat Sheet minimums, so a node will not start with them.</summary>
internal sealed class PasswordHashingOptionsValidator : IValidateOptions<PasswordHashingOptions>
{
    private readonly Func<bool> _libsodiumAvailable;

    public PasswordHashingOptionsValidator()
        : this(() => Libsodium.IsAvailable)
    {
    }

    internal PasswordHashingOptionsValidator(Func<bool> libsodiumAvailable) => _libsodiumAvailable = libsodiumAvailable;

    public ValidateOptionsResult Validate(string? name, PasswordHashingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = PasswordHashingOptions.SectionName;
        var failures = new List<string>();

        if (!Enum.IsDefined(options.Algorithm))
        {
            failures.Add($"{Section}:Algorithm must be Argon2id or Pbkdf2Sha512.");
        }

        if (options.MemoryKiB < PasswordHashingOptions.MinimumArgon2MemoryKiB)
        {
            failures.Add($"{Section}:MemoryKiB is {options.MemoryKiB}; set it to at least {PasswordHashingOptions.MinimumArgon2MemoryKiB} (19 MiB, the OWASP minimum for Argon2id).");
        }

        if (options.Iterations < PasswordHashingOptions.MinimumArgon2Iterations)
        {
            failures.Add($"{Section}:Iterations is {options.Iterations}; set it to at least {PasswordHashingOptions.MinimumArgon2Iterations} (the OWASP minimum for Argon2id with 19 MiB).");
        }

        // Upper bounds too: a value the schemes refuse, or one that costs gigabytes per sign-in, is a
        // misconfiguration that would turn every login into a 500 or an outage.
        if (options.MemoryKiB > PasswordHashingOptions.MaximumArgon2MemoryKiB || options.Iterations > PasswordHashingOptions.MaximumArgon2Iterations)
        {
            failures.Add($"{Section}:MemoryKiB may be at most {PasswordHashingOptions.MaximumArgon2MemoryKiB} (1 GiB) and {Section}:Iterations at most {PasswordHashingOptions.MaximumArgon2Iterations}.");
        }

        if (options.Pbkdf2Iterations > PasswordHashingOptions.MaximumPbkdf2Iterations)
        {
            failures.Add($"{Section}:Pbkdf2Iterations may be at most {PasswordHashingOptions.MaximumPbkdf2Iterations}.");
        }

        if (options.Pbkdf2Iterations < PasswordHashingOptions.MinimumPbkdf2Iterations)
        {
            failures.Add($"{Section}:Pbkdf2Iterations is {options.Pbkdf2Iterations}; set it to at least {PasswordHashingOptions.MinimumPbkdf2Iterations} (the OWASP minimum for PBKDF2-HMAC-SHA512).");
        }

        if (options.Algorithm == PasswordHashAlgorithm.Argon2id && !options.AllowPbkdf2Fallback && !_libsodiumAvailable())
        {
            failures.Add($"Argon2id needs libsodium, which could not be loaded. Install it (Debian: libsodium23), or set {Section}:Algorithm to Pbkdf2Sha512, or set {Section}:AllowPbkdf2Fallback to true.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
