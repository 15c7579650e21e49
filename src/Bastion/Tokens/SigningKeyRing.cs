using System.Text;
using Bastion.Hosting;
using Bastion.State;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Bastion.Tokens;

/// <summary>
/// The access-token signing keys, shared by every node through the database. Each node keeps the current key
/// set in memory and reloads it when another node announces a change (publish/subscribe) and every 30 seconds.
/// A new key is published <see cref="TokenOptions.KeyActivationDelay"/> before it signs; a retired key stays
/// published until every token it signed has expired.
/// </summary>
public sealed partial class SigningKeyRing(
    IServiceScopeFactory scopes,
    SecretBox box,
    IStateStore store,
    IOptions<TokenOptions> options,
    IOptions<StateOptions> state,
    TimeProvider time,
    ILogger<SigningKeyRing> logger)
{
    internal static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(30);
    private readonly TokenOptions _options = options.Value;
    private KeySet _keys = KeySet.Empty;

    internal string ChangedChannel => state.Value.KeyPrefix + "signing-keys-changed";

    /// <summary>The credentials new tokens are signed with.</summary>
    public SigningCredentials SigningCredentials => _keys.Signing ?? throw new InvalidOperationException("No signing key is loaded yet.");

    /// <summary>The published key with this kid, or null (an unknown kid never falls back to another key).</summary>
    public SecurityKey? FindKey(string? kid) => kid is not null && _keys.Published.TryGetValue(kid, out var key) ? key : null;

    /// <summary>The JWK Set document (RFC 7517 §5) of every published key.</summary>
    public string JwksJson => _keys.JwksJson;

    /// <summary>Creates the first key when there is none, then loads the set.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BastionDbContext>();
            if (!await db.SigningKeys.AnyAsync(k => k.RetireAt == null, cancellationToken))
            {
                db.SigningKeys.Add(NewKey(time.GetUtcNow(), TimeSpan.Zero));
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        await ReloadAsync(cancellationToken);
    }

    /// <summary>
    /// Starts a new key: published now, signing after the activation delay; every key in service retires when
    /// it activates and stays published until the tokens it signed have expired.
    /// </summary>
    public async Task<string> RotateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = NewKey(now, _options.KeyActivationDelay);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BastionDbContext>();
            foreach (var previous in await db.SigningKeys.Where(k => k.RetireAt == null).ToListAsync(cancellationToken))
            {
                previous.RetireAt = key.ActivatesAt;
                previous.ExpiresAt = key.ActivatesAt + _options.AccessTokenLifetime + _options.ClockSkew;
            }

            db.SigningKeys.Add(key);
            await db.SaveChangesAsync(cancellationToken);
        }

        Log.KeyRotated(logger, key.Kid, key.ActivatesAt);
        await ReloadAsync(cancellationToken);
        await store.PublishAsync(ChangedChannel, key.Kid, cancellationToken);
        return key.Kid;
    }

    /// <summary>Rotates when the signing key has served its interval and no successor is waiting.</summary>
    public async Task RotateIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BastionDbContext>();
            var inService = await db.SigningKeys.Where(k => k.RetireAt == null).ToListAsync(cancellationToken);
            if (inService.Count == 0 || inService.Any(k => k.ActivatesAt > now) || inService.Max(k => k.ActivatesAt) + _options.KeyRotationInterval > now)
            {
                return;
            }
        }

        // One node rotates; the others see the new key through the database and the change message.
        if (await store.SetIfAbsentAsync(state.Value.KeyPrefix + "signing-key-rotation", "1"u8.ToArray(), TimeSpan.FromMinutes(1), cancellationToken))
        {
            await RotateAsync(cancellationToken);
        }
    }

    /// <summary>Reads the published keys from the database and decrypts the one that signs now.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<SigningKeyRecord> records;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BastionDbContext>();
            records = (await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken))
                .Where(k => k.ExpiresAt is null || k.ExpiresAt > now)
                .OrderByDescending(k => k.CreatedAt)
                .ToList();
        }

        var signer = records.FirstOrDefault(k => k.ActivatesAt <= now && (k.RetireAt is null || k.RetireAt > now))
            ?? records.LastOrDefault();
        var signing = signer is null ? null : new SigningCredentials(
            SigningKeyMaterial.PrivateKey(signer.Algorithm, signer.Kid, box.Decrypt(Convert.FromBase64String(signer.PrivateKey), Purpose(signer.Kid))),
            signer.Algorithm);
        var published = records.ToDictionary(k => k.Kid, k => SigningKeyMaterial.PublicKey(k.PublicJwk), StringComparer.Ordinal);
        var jwks = new StringBuilder("{\"keys\":[").AppendJoin(',', records.Select(k => k.PublicJwk)).Append("]}").ToString();
        _keys = new KeySet(signing, published, jwks);
    }

    private SigningKeyRecord NewKey(DateTimeOffset now, TimeSpan activationDelay)
    {
        var (pkcs8, jwk, kid) = SigningKeyMaterial.Create(_options.Algorithm);
        try
        {
            return new SigningKeyRecord
            {
                Kid = kid,
                Algorithm = _options.Algorithm,
                PrivateKey = Convert.ToBase64String(box.Encrypt(pkcs8, Purpose(kid))),
                PublicJwk = jwk,
                CreatedAt = now,
                ActivatesAt = now + activationDelay,
            };
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    // The kid is bound into the encryption, so a private key copied into another row does not decrypt.
    private static string Purpose(string kid) => "signing-key:" + kid;

    private sealed record KeySet(SigningCredentials? Signing, IReadOnlyDictionary<string, SecurityKey> Published, string JwksJson)
    {
        public static KeySet Empty { get; } = new(null, new Dictionary<string, SecurityKey>(), "{\"keys\":[]}");
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Rotated the access-token signing key; {Kid} signs from {ActivatesAt}", EventName = "SigningKeyRotated")]
        public static partial void KeyRotated(ILogger logger, string kid, DateTimeOffset activatesAt);
    }
}
