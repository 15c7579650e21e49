namespace Bastion.Encryption;

/// <summary>What the re-encryption job does with one stored value: nothing when it is current, else the renewed value.</summary>
internal static class ValueRenewal
{
    /// <summary>
    /// Null when the value is already under the current key version and its index (if any) under the current index
    /// version: that is what makes the job idempotent, so a run that stopped half-way simply runs again.
    /// </summary>
    /// <exception cref="FieldDecryptionException">The value could not be decrypted; it is left as it is.</exception>
    public static RenewedValue? Renew(FieldCipher cipher, BlindIndex index, EncryptedColumn column, EncryptedValue value)
    {
        var reEncrypt = cipher.NeedsReEncryption(value.Ciphertext);
        var reIndex = column.BlindIndex is not null && (value.Index is null || BlindIndex.VersionOf(value.Index) != index.CurrentVersion);
        if (!reEncrypt && !reIndex)
        {
            return null;
        }

        // Decrypting authenticates the old value first, so nothing is rewritten that was not intact.
        var context = column.Context(value.Key);
        var plaintext = cipher.Decrypt(value.Ciphertext, context);
        return new RenewedValue(
            value,
            reEncrypt ? cipher.Encrypt(plaintext, context) : value.Ciphertext,
            column.BlindIndex is { } blind ? (reIndex ? index.Compute(plaintext, blind.Purpose) : value.Index) : null);
    }
}
