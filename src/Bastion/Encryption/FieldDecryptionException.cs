using System.Security.Cryptography;

namespace Bastion.Encryption;

/// <summary>
/// A stored field could not be decrypted. The message names the field's context and the key version, never the
/// value or its plaintext, so it is safe to log.
/// </summary>
public sealed class FieldDecryptionException : CryptographicException
{
    internal FieldDecryptionException(FieldDecryptionFailure reason, string? context, int? keyVersion, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        Context = context;
        KeyVersion = keyVersion;
    }

    public FieldDecryptionFailure Reason { get; }

    /// <summary>The associated data the caller passed, e.g. <c>equipment.serialNumber:42</c>; null from <see cref="FieldCipher.VersionOf"/>.</summary>
    public string? Context { get; }

    /// <summary>The key version named by the value, when it could be read.</summary>
    public int? KeyVersion { get; }

    internal static FieldDecryptionException Malformed(string? context) => new(
        FieldDecryptionFailure.Malformed, context, null,
        $"The stored value{For(context)} is not an encrypted field: expected v{{version}}:{{base64 of nonce, ciphertext and tag}}.");

    internal static FieldDecryptionException UnknownKeyVersion(string? context, int version) => new(
        FieldDecryptionFailure.UnknownKeyVersion, context, version,
        $"The stored value{For(context)} was encrypted under key version {version}, which is not in {FieldEncryptionOptions.SectionName}:Keys: "
        + "restore that key. A version may be removed only after every value has been re-encrypted.");

    internal static FieldDecryptionException NotAuthentic(string context, int version, Exception innerException) => new(
        FieldDecryptionFailure.NotAuthentic, context, version,
        $"The stored value{For(context)} did not authenticate under key version {version}: it was altered, belongs to another field or row, "
        + $"or {FieldEncryptionOptions.SectionName}:Keys:{version} has changed.",
        innerException);

    private static string For(string? context) => context is null ? "" : $" for {context}";
}
