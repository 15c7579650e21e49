using Bastion.State;
using Microsoft.Extensions.Options;

namespace Bastion.Mfa;

/// <summary>
/// At most one e-mailed code a minute per user outside a sign-in (enrolment, step-up), on every node: each send
/// brings fresh guesses and fills the user's inbox, so the rate is what bounds both.
/// </summary>
public sealed class MfaEmailSendLimit(IStateStore store, IOptions<StateOptions> state)
{
    public ValueTask<bool> TryAcquireAsync(Guid userId, CancellationToken cancellationToken = default)
        => store.SetIfAbsentAsync($"{state.Value.KeyPrefix}mfa-email-sent:{userId:N}", "1"u8.ToArray(), TimeSpan.FromMinutes(1), cancellationToken);
}
