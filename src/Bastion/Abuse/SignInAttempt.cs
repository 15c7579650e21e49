namespace Bastion.Abuse;

/// <summary>
/// A sign-in the guard let through, its failure already counted in advance (<see cref="SignInGuard.BeginAsync"/>),
/// or the closed gate that refused it. Exactly one of <see cref="SignInGuard.FailAsync"/>,
/// <see cref="SignInGuard.SucceedAsync"/> and <see cref="SignInGuard.AbandonAsync"/> finishes an admitted attempt.
/// </summary>
public sealed record SignInAttempt(string Account, SignInSource Source, SourceFamiliarity Familiarity, long PairCount, long AccountCount, SignInGate? Refused)
{
    internal static SignInAttempt Refuse(string account, SignInSource source, SignInGate gate) => new(account, source, SourceFamiliarity.Unfamiliar, 0, 0, gate);
}
