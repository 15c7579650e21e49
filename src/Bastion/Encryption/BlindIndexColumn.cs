namespace Bastion.Encryption;

/// <summary>The blind index that goes with an <see cref="EncryptedColumn"/>: its column and the purpose it is computed for.</summary>
/// <param name="Column">The index column, e.g. <c>serial_index</c>.</param>
/// <param name="Purpose">The <see cref="BlindIndex.Compute"/> purpose, e.g. <c>equipment.serialNumber</c>.</param>
public sealed record BlindIndexColumn(string Column, string Purpose);
