using Bastion.Accounts.Passwords;
using BenchmarkDotNet.Attributes;

namespace Bastion.Benchmarks;

/// <summary>The cost of one password hash and one verification, which bounds sign-in throughput per core.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class PasswordHashingBenchmarks
{
    private PasswordHasher _argon2id = null!;
    private PasswordHasher _pbkdf2 = null!;
    private string _argon2idHash = string.Empty;
    private string _pbkdf2Hash = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _argon2id = BenchmarkHashers.Create(PasswordHashAlgorithm.Argon2id);
        _pbkdf2 = BenchmarkHashers.Create(PasswordHashAlgorithm.Pbkdf2Sha512);
        _argon2idHash = _argon2id.Hash(BenchmarkHashers.Password);
        _pbkdf2Hash = _pbkdf2.Hash(BenchmarkHashers.Password);
        if (_argon2id.Verify(BenchmarkHashers.Password, _argon2idHash) != PasswordVerification.Success
            || _pbkdf2.Verify(BenchmarkHashers.Password, _pbkdf2Hash) != PasswordVerification.Success)
        {
            throw new InvalidOperationException("The benchmark hashes do not verify.");
        }
    }

    [Benchmark]
    public string Argon2idHash() => _argon2id.Hash(BenchmarkHashers.Password);

    [Benchmark]
    public PasswordVerification Argon2idVerify() => _argon2id.Verify(BenchmarkHashers.Password, _argon2idHash);

    [Benchmark]
    public PasswordVerification Pbkdf2Verify() => _pbkdf2.Verify(BenchmarkHashers.Password, _pbkdf2Hash);
}
