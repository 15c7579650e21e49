namespace Bastion.Encryption;

/// <summary>One stored value of an <see cref="EncryptedColumn"/>: the row's key, the ciphertext and its blind index, if any.</summary>
internal sealed record EncryptedValue(Guid Key, string Ciphertext, string? Index);
