using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Bastion.Hosting;

namespace Bastion.Tokens;

/// <summary>
/// The refresh token that follows a given one: HMAC-SHA-256 of the token under a key derived from the master key.
/// Deriving it, instead of drawing it at random, lets a client that retries a refresh whose answer it never received
/// get the very same successor again without the server storing any token in a recoverable form: only the client
/// (which holds the spent token) and the server (which holds the key) can compute it. The chain is therefore
/// unpredictable to anyone without the key, however many spent tokens they have seen.
/// </summary>
public sealed class RefreshTokenSuccessors(MasterKey masterKey)
{
    private readonly byte[] _key = masterKey.Derive("refresh-token-successor");

    /// <summary>The successor of <paramref name="refreshToken"/>: 256 bits, base64url like every refresh token.</summary>
    public string Of(string refreshToken)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        return Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(refreshToken)));
    }
}
