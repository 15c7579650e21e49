using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bastion.Audit;

/// <summary>
/// One personal value of an audit entry, sealed under its owner's data key (<see cref="AuditUserKeys"/>):
/// <c>enc:v1:{owner as 32 hex digits}:{base64url(nonce ‖ ciphertext ‖ tag)}</c>, AES-256-GCM (NIST SP 800-38D). The owner
/// and the column are the associated data, so a sealed value copied into another user's entry or another column does
/// not open. The text is what the column stores and what the hash chain covers; destroying the owner's key later
/// changes no stored byte, so the chain still verifies (crypto-shredding).
/// </summary>
internal static class AuditFieldCipher
{
    public const string Prefix = "enc:v1:";

    /// <summary>What a reader sees in place of a value whose owner has been erased.</summary>
    public const string Erased = "erased";

    /// <summary>What a reader sees in place of a sealed value that does not open (altered in the table).</summary>
    public const string Unreadable = "[unreadable]";

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int OwnerLength = 32;

    public static bool IsSealed(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The user whose key sealed <paramref name="value"/>, or null when it is not a well-formed sealed value.</summary>
    public static Guid? OwnerOf(string value)
        => IsSealed(value) && value.Length > Prefix.Length + OwnerLength && value[Prefix.Length + OwnerLength] == ':'
            && Guid.TryParseExact(value.AsSpan(Prefix.Length, OwnerLength), "N", out var owner) ? owner : null;

    public static string Seal(string value, Guid owner, byte[] key, string column)
    {
        var plaintext = Encoding.UTF8.GetBytes(value);
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), AssociatedData(owner, column));
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{owner:N}:{Base64Url.EncodeToString(output)}");
    }

    /// <summary>The value, <see cref="Erased"/> when the owner's key is gone, <see cref="Unreadable"/> when it does not open.</summary>
    public static string Open(string sealedValue, Func<Guid, byte[]?> keyOf, string column)
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        if (OwnerOf(sealedValue) is not { } owner)
        {
            return Unreadable;
        }

        if (keyOf(owner) is not { } key)
        {
            return Erased;
        }

        var encoded = sealedValue.AsSpan(Prefix.Length + OwnerLength + 1);
        if (!Base64Url.IsValid(encoded))
        {
            return Unreadable;
        }

        var bytes = Base64Url.DecodeFromChars(encoded);
        if (bytes.Length < NonceSize + TagSize)
        {
            return Unreadable;
        }

        var plaintext = new byte[bytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, plaintext.Length), bytes.AsSpan(NonceSize + plaintext.Length), plaintext, AssociatedData(owner, column));
        }
        catch (AuthenticationTagMismatchException)
        {
            return Unreadable;
        }

        return Encoding.UTF8.GetString(plaintext);
    }

    private static byte[] AssociatedData(Guid owner, string column)
        => Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"bastion:audit-field:v1:{owner:N}:{column}"));
}
