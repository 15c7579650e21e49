namespace Bastion.Encryption;

/// <summary>A value rewritten under the current keys, with the value it replaces (the condition of the update).</summary>
internal sealed record RenewedValue(EncryptedValue Old, string Ciphertext, string? Index)
{
    public bool ReEncrypted => !string.Equals(Ciphertext, Old.Ciphertext, StringComparison.Ordinal);

    public bool ReIndexed => !string.Equals(Index, Old.Index, StringComparison.Ordinal);
}
