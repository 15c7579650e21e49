using Bastion.Mfa;
using Bastion.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Mfa;

public sealed class TotpReplayGuardTests : IDisposable
{
    private static readonly byte[] Secret = "12345678901234567890"u8.ToArray();

    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_010));
    private readonly MemoryStateStore _store;
    private readonly TotpReplayGuard _guard;
    private readonly Totp _totp = new();
    private readonly TotpVerifier _verifier;

    public TotpReplayGuardTests()
    {
        _store = new MemoryStateStore(_clock);
        var options = Options.Create(new MfaOptions());
        _guard = new TotpReplayGuard(_store, options, NullLogger<TotpReplayGuard>.Instance);
        _verifier = new TotpVerifier(_totp, _guard, _clock, options);
    }

    private long CurrentStep => Totp.GetTimeStep(_clock.GetUtcNow());

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task TryAccept_SameStepTwice_SecondIsRefused()
    {
        Assert.True(await _guard.TryAcceptAsync("alice", CurrentStep));
        Assert.False(await _guard.TryAcceptAsync("alice", CurrentStep));
    }

    [Fact]
    public async Task TryAccept_OlderStepAfterNewer_IsRefused()
    {
        Assert.True(await _guard.TryAcceptAsync("alice", CurrentStep + 1));
        Assert.False(await _guard.TryAcceptAsync("alice", CurrentStep));
        Assert.False(await _guard.TryAcceptAsync("alice", CurrentStep - 1));
    }

    [Fact]
    public async Task TryAccept_NewerStepAfterOlder_IsAccepted()
    {
        Assert.True(await _guard.TryAcceptAsync("alice", CurrentStep - 1));
        Assert.True(await _guard.TryAcceptAsync("alice", CurrentStep));
    }

    [Fact]
    public async Task TryAccept_SameStepForAnotherUser_IsAccepted()
    {
        Assert.True(await _guard.TryAcceptAsync("alice", CurrentStep));
        Assert.True(await _guard.TryAcceptAsync("bob", CurrentStep));
    }

    [Fact]
    public async Task TryAccept_ConcurrentRequestsForOneStep_ExactlyOneSucceeds()
    {
        var step = CurrentStep;
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () => await _guard.TryAcceptAsync("alice", step))));

        Assert.Single(results, accepted => accepted);
    }

    [Fact]
    public async Task TryAccept_EntriesLiveForTheWindowSpanPlusOneStep()
    {
        var step = CurrentStep;
        await _guard.TryAcceptAsync("alice", step);

        Assert.Equal(TimeSpan.FromSeconds(120), await _store.GetTimeToLiveAsync($"mfa:totp:used:alice:{step}"));
        Assert.Equal(TimeSpan.FromSeconds(120), await _store.GetTimeToLiveAsync("mfa:totp:last:alice"));
    }

    [Fact]
    public async Task Verify_SameCodeTwiceWithinItsWindow_SecondIsRefused()
    {
        var code = _totp.Compute(Secret, CurrentStep);

        Assert.True(await _verifier.VerifyAsync("alice", Secret, code));
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.False(await _verifier.VerifyAsync("alice", Secret, code));
    }

    [Fact]
    public async Task Verify_PreviousStepCodeAfterCurrentOne_IsRefused()
    {
        var previous = _totp.Compute(Secret, CurrentStep - 1);
        var current = _totp.Compute(Secret, CurrentStep);

        Assert.True(await _verifier.VerifyAsync("alice", Secret, current));
        Assert.False(await _verifier.VerifyAsync("alice", Secret, previous));
    }

    [Fact]
    public async Task Verify_NextCodeAfterTheStepPasses_IsAccepted()
    {
        Assert.True(await _verifier.VerifyAsync("alice", Secret, _totp.Compute(Secret, CurrentStep)));
        _clock.Advance(TimeSpan.FromSeconds(30));

        Assert.True(await _verifier.VerifyAsync("alice", Secret, _totp.Compute(Secret, CurrentStep)));
    }

    [Fact]
    public async Task Verify_WrongCode_IsRefusedAndSpendsNothing()
    {
        var code = _totp.Compute(Secret, CurrentStep);
        var wrong = code == "000000" ? "000001" : "000000";

        Assert.False(await _verifier.VerifyAsync("alice", Secret, wrong));
        Assert.True(await _verifier.VerifyAsync("alice", Secret, code));
    }

    [Fact]
    public async Task Verify_CodeTwoStepsOld_IsRefused()
    {
        var code = _totp.Compute(Secret, CurrentStep);
        _clock.Advance(TimeSpan.FromSeconds(60));

        Assert.False(await _verifier.VerifyAsync("alice", Secret, code));
    }
}
