using System.Net;
using Bastion.Abuse;
using Bastion.State;
using Bastion.Tests.Mfa;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Abuse;

/// <summary>The real <see cref="SignInGuard"/> over the in-process state store, on a clock the test moves.</summary>
internal sealed class GuardFixture : IDisposable
{
    private readonly MemoryStateStore _store;

    public GuardFixture(Action<AbuseOptions>? configure = null)
    {
        var abuse = new AbuseOptions();
        configure?.Invoke(abuse);
        Options = abuse;
        _store = new MemoryStateStore(Clock);
        var state = Microsoft.Extensions.Options.Options.Create(new StateOptions());
        var blocks = new IpBlockList(_store, state, Microsoft.Extensions.Options.Options.Create(abuse), Clock);
        Guard = new SignInGuard(_store, blocks, Microsoft.Extensions.Options.Options.Create(abuse), state, NullLogger<SignInGuard>.Instance);
    }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));

    public AbuseOptions Options { get; }

    public SignInGuard Guard { get; }

    public static IPAddress Address(int n) => new([198, 18, (byte)(n / 256), (byte)(n % 256)]);

    /// <summary>One sign-in with a wrong password; true when the guard let it be checked (a guess the attacker got).</summary>
    public async Task<bool> GuessAsync(SignInSource source, string email)
    {
        var attempt = await Guard.BeginAsync(source, email);
        if (attempt.Refused is not null)
        {
            return false;
        }

        await Guard.FailAsync(attempt);
        return true;
    }

    /// <summary>One sign-in with the right password; true when the guard let it through.</summary>
    public async Task<bool> SignInAsync(SignInSource source, string email)
    {
        var attempt = await Guard.BeginAsync(source, email);
        if (attempt.Refused is not null)
        {
            return false;
        }

        await Guard.SucceedAsync(attempt);
        await Guard.RememberAsync(source.Address, email);
        return true;
    }

    public void Dispose() => _store.Dispose();
}
