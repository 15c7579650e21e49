namespace Bastion.Encryption;

/// <summary>Why a stored field could not be decrypted.</summary>
public enum FieldDecryptionFailure
{
    /// <summary>The value is not of the form <c>v{version}:{base64}</c>, or too short to hold a nonce and a tag.</summary>
    Malformed,

    /// <summary>The value names a key version that is not in <c>Bastion:Encryption:Keys</c>.</summary>
    UnknownKeyVersion,

    /// <summary>The tag did not verify: the value was altered, belongs to another field or row, or the key changed.</summary>
    NotAuthentic,
}
