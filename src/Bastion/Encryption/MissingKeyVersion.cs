namespace Bastion.Encryption;

/// <summary>A key version the database still uses but the configuration no longer has.</summary>
/// <param name="KeySet"><c>Keys</c> (field encryption) or <c>BlindIndexKeys</c>.</param>
/// <param name="Version">The missing version.</param>
/// <param name="Column"><c>table.column</c> that holds values under it.</param>
/// <param name="Count">How many.</param>
internal sealed record MissingKeyVersion(string KeySet, int Version, string Column, long Count);
