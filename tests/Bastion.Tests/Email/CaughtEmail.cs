using System.Text.Json;

namespace Bastion.Tests.Email;

/// <summary>A message as the catcher parsed it.</summary>
public sealed record CaughtEmail(
    string Id,
    string Subject,
    IReadOnlyList<string> From,
    string? FromName,
    IReadOnlyList<string> To,
    string? ToName,
    string? Text,
    string? Html,
    IReadOnlyDictionary<string, string> Headers)
{
    internal static CaughtEmail FromMaildev(JsonElement email)
    {
        static IReadOnlyList<JsonElement> Addresses(JsonElement email, string field)
            => email.TryGetProperty(field, out var list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray()] : [];

        static string? Text(JsonElement element, string field)
            => element.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        var from = Addresses(email, "from");
        var to = Addresses(email, "to");
        var headers = email.TryGetProperty("headers", out var h)
            ? h.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return new CaughtEmail(
            Text(email, "id")!,
            Text(email, "subject") ?? string.Empty,
            [.. from.Select(a => Text(a, "address")!)],
            from.Select(a => Text(a, "name")).FirstOrDefault(),
            [.. to.Select(a => Text(a, "address")!)],
            to.Select(a => Text(a, "name")).FirstOrDefault(),
            Text(email, "text"),
            Text(email, "html"),
            headers);
    }
}
