namespace Bastion.Encryption;

/// <summary>The key versions one column's values are stored under, with counts, and those of its blind index.</summary>
internal sealed record EncryptedColumnStatus(string Column, KeyVersionUsage KeyVersions, string? BlindIndexColumn, KeyVersionUsage? BlindIndexVersions);
