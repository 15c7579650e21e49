namespace Bastion.Idempotency;

/// <summary>What was answered to the first request with a key: replayed as it was to every retry with the same key.</summary>
internal sealed record StoredResponse(string RequestHash, int Status, string? Location, string? ContentType, byte[]? Body);
