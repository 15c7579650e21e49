using Bastion.Accounts.Passwords;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bastion.LoadHost;

/// <summary>
/// Counts the CPU time spent inside the password hasher, so that a login run can split the server's CPU time
/// into hashing and everything else, both measured in the same process at the same moment (GET /bench/hash-cpu).
/// </summary>
internal sealed class TimedPasswordHasher(IPasswordHasher inner) : IPasswordHasher
{
    private long _calls;
    private long _cpuMicroseconds;

    /// <summary>Puts the timing around the registered hasher; call after <c>AddBastion</c>.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IPasswordHasher));
        services.AddSingleton(provider => new TimedPasswordHasher((IPasswordHasher)(
            registered.ImplementationFactory?.Invoke(provider)
            ?? registered.ImplementationInstance
            ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!))));
        services.Replace(ServiceDescriptor.Singleton<IPasswordHasher>(provider => provider.GetRequiredService<TimedPasswordHasher>()));
    }

    /// <summary>"calls=N cpu_us=M" since the start.</summary>
    public string Report() => $"calls={Interlocked.Read(ref _calls)} cpu_us={Interlocked.Read(ref _cpuMicroseconds)}";

    public string Hash(string password)
    {
        var started = ThreadCpuClock.Microseconds();
        try
        {
            return inner.Hash(password);
        }
        finally
        {
            Count(started);
        }
    }

    public PasswordVerification Verify(string password, string encodedHash)
    {
        var started = ThreadCpuClock.Microseconds();
        try
        {
            return inner.Verify(password, encodedHash);
        }
        finally
        {
            Count(started);
        }
    }

    public void VerifyDummy(string password)
    {
        var started = ThreadCpuClock.Microseconds();
        try
        {
            inner.VerifyDummy(password);
        }
        finally
        {
            Count(started);
        }
    }

    private void Count(long started)
    {
        Interlocked.Add(ref _cpuMicroseconds, ThreadCpuClock.Microseconds() - started);
        Interlocked.Increment(ref _calls);
    }
}
