using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Bastion.State;
using Microsoft.Extensions.Options;

namespace Bastion.Recovery;

/// <summary>
/// How many recovery mails one account may be sent, counted in the shared state store so every node counts the
/// same. The per-address cap is what stops a flood of requests from mail-bombing a victim, whatever the number of
/// client addresses it comes from (OWASP Forgot Password Cheat Sheet; ASVS 5.0 V2.4.1 anti-automation).
/// </summary>
public sealed class RecoveryMailLimits(IStateStore store, IOptions<RecoveryOptions> options, IOptions<StateOptions> state)
{
    private static readonly TimeSpan VerificationInterval = TimeSpan.FromMinutes(1);
    private readonly string _prefix = state.Value.KeyPrefix + "recovery:";

    /// <summary>
    /// Counts a reset request for <paramref name="normalizedEmail"/>; false beyond the hourly cap. Counted for unknown
    /// addresses too, so the work (and the time it takes) is the same whether or not the account exists.
    /// </summary>
    public async Task<bool> AllowResetMailAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var decision = await store.HitCountersAsync(
            [new CounterRule($"{_prefix}reset-mail:{Key(normalizedEmail)}", options.Value.ResetEmailsPerHour, TimeSpan.FromHours(1))],
            cancellationToken);
        return decision.Allowed;
    }

    /// <summary>Counts a verification mail for the user: null when it may be sent, else how long until one may.</summary>
    public Task<TimeSpan?> VerificationMailWaitAsync(Guid userId, CancellationToken cancellationToken)
        => MailWaitAsync($"{_prefix}verify-mail:{userId:N}", cancellationToken);

    /// <summary>Counts a mail to a new address the user asked to move to, under the same rate as verification mails.</summary>
    public Task<TimeSpan?> EmailChangeMailWaitAsync(Guid userId, CancellationToken cancellationToken)
        => MailWaitAsync($"{_prefix}change-mail:{userId:N}", cancellationToken);

    private async Task<TimeSpan?> MailWaitAsync(string key, CancellationToken cancellationToken)
    {
        var decision = await store.HitCountersAsync(
        [
            new CounterRule(key + ":m", 1, VerificationInterval),
            new CounterRule(key + ":d", options.Value.VerificationEmailsPerDay, TimeSpan.FromDays(1)),
        ], cancellationToken);
        return decision.Allowed ? null : decision.Counters[decision.RefusedBy].ResetsIn;
    }

    // A hash keeps e-mail addresses out of the state store's keys.
    private static string Key(string normalizedEmail) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)))[..22];
}
