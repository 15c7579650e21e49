using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bastion.State;
using Microsoft.Extensions.Options;

namespace Bastion.Mfa;

/// <summary>
/// Half-finished sign-ins: a correct password on an account with a second factor yields an <c>mfa_token</c>, never a
/// session or tokens. The token is 256 random bits, opaque (it is not a JWT and no bearer check accepts it), kept in
/// the shared state store only as its SHA-256, single use, short-lived, bound to the user's security stamp, and
/// withdrawn after <see cref="MfaOptions.MaxChallengeAttempts"/> wrong codes.
/// </summary>
public sealed class MfaChallenges(IStateStore store, IOptions<MfaOptions> options, IOptions<StateOptions> state, TimeProvider time)
{
    /// <summary>Starts a challenge for <paramref name="userId"/> and returns the token to hand to the client.</summary>
    public async Task<(string Token, MfaChallenge Challenge)> CreateAsync(Guid userId, string securityStamp, bool useCookie, CancellationToken cancellationToken = default)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var challenge = new MfaChallenge(Hash(token), userId, securityStamp, useCookie, time.GetUtcNow() + options.Value.ChallengeLifetime);
        var value = JsonSerializer.SerializeToUtf8Bytes(challenge, MfaJsonContext.Default.MfaChallenge);
        await store.SetAsync(Key(challenge.Id), value, options.Value.ChallengeLifetime, cancellationToken);
        return (token, challenge);
    }

    /// <summary>The pending challenge behind <paramref name="token"/>, or null when it is unknown, used, expired or withdrawn.</summary>
    public async Task<MfaChallenge?> FindAsync(string? token, CancellationToken cancellationToken = default)
    {
        // A well-formed token is 43 base64url characters; anything else is not looked up at all.
        if (token is not { Length: 43 } || !Base64Url.IsValid(token))
        {
            return null;
        }

        var stored = await store.GetAsync(Key(Hash(token)), cancellationToken);
        var challenge = stored is null ? null : JsonSerializer.Deserialize(stored, MfaJsonContext.Default.MfaChallenge);

        // The store's own expiry removes it; the time is checked too, so a store whose clock differs cannot stretch it.
        return challenge is not null && challenge.ExpiresAt > time.GetUtcNow() ? challenge : null;
    }

    /// <summary>Spends the challenge; of two requests completing the same one, on any nodes, only one gets true.</summary>
    public async Task<bool> CompleteAsync(MfaChallenge challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        // The attempt counter is left to expire: deleting it would hand a request still in flight a fresh count.
        return await store.DeleteAsync(Key(challenge.Id), cancellationToken);
    }

    /// <summary>
    /// Counts an attempt before its code is checked, so parallel requests with one token share the attempts; false
    /// when the challenge has had all of them (it is then withdrawn).
    /// </summary>
    public async Task<(bool Allowed, bool Last)> CountAttemptAsync(MfaChallenge challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        var attempts = await store.IncrementAsync(Key(challenge.Id) + ":failures", 1, options.Value.ChallengeLifetime, cancellationToken);
        if (attempts > options.Value.MaxChallengeAttempts)
        {
            await WithdrawAsync(challenge, cancellationToken);
            return (false, true);
        }

        return (true, attempts == options.Value.MaxChallengeAttempts);
    }

    /// <summary>Counts a request for an e-mailed code; false when this challenge has asked for its share already.</summary>
    public async Task<bool> TryCountEmailSendAsync(MfaChallenge challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        var sends = await store.IncrementAsync(Key(challenge.Id) + ":emails", 1, options.Value.ChallengeLifetime, cancellationToken);
        return sends <= options.Value.MaxEmailCodesPerChallenge;
    }

    /// <summary>Withdraws a challenge (its user can no longer sign in).</summary>
    public Task WithdrawAsync(MfaChallenge challenge, CancellationToken cancellationToken = default) => CompleteAsync(challenge, cancellationToken);

    private string Key(string id) => $"{state.Value.KeyPrefix}mfa-challenge:{id}";

    private static string Hash(string token) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
}

/// <summary>A pending sign-in. <see cref="Id"/> is the hash of its token, never the token.</summary>
public sealed record MfaChallenge(string Id, Guid UserId, string SecurityStamp, bool UseCookie, DateTimeOffset ExpiresAt);

[JsonSerializable(typeof(MfaChallenge))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class MfaJsonContext : JsonSerializerContext;
