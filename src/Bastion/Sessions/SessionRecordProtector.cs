using System.Security.Cryptography;
using System.Text;
using Bastion.Hosting;

namespace Bastion.Sessions;

/// <summary>
/// Seals session records for the state store: AES-256-GCM (NIST SP 800-38D) under the master key's
/// <c>session-records</c> subkey, as <c>0x01 ‖ nonce ‖ ciphertext ‖ tag</c>. The record's store key (the handle) is
/// the associated data, so a record moved under another handle — one user's session swapped into another's key —
/// fails authentication and counts as no session at all. A copy of Redis thus yields neither cookies (the keys are
/// hashes) nor who is signed in from where (the values are sealed).
/// </summary>
public sealed class SessionRecordProtector
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int Overhead = 1 + NonceSize + TagSize;

    private readonly byte[] _key;

    public SessionRecordProtector(MasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        _key = masterKey.Derive("session-records");
    }

    public byte[] Seal(ReadOnlySpan<byte> record, string handle)
    {
        var output = new byte[Overhead + record.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, record, output.AsSpan(1 + NonceSize, record.Length), output.AsSpan(output.Length - TagSize), AssociatedData(handle));
        return output;
    }

    /// <summary>
    /// The record, or null when the value is not one this key sealed for this handle: altered, moved from another
    /// handle, sealed under another master key, or a plain JSON record from before records were sealed.
    /// </summary>
    public byte[]? Open(ReadOnlySpan<byte> sealedValue, string handle)
    {
        if (sealedValue.Length < Overhead || sealedValue[0] != Version)
        {
            return null;
        }

        var plaintext = new byte[sealedValue.Length - Overhead];
        using var aes = new AesGcm(_key, TagSize);
        try
        {
            aes.Decrypt(sealedValue.Slice(1, NonceSize), sealedValue[(1 + NonceSize)..^TagSize], sealedValue[^TagSize..], plaintext, AssociatedData(handle));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] AssociatedData(string handle) => Encoding.ASCII.GetBytes("bastion:session:v1:" + handle);
}
