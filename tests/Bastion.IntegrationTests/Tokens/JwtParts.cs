using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bastion.IntegrationTests.Tokens;

/// <summary>Reads and rebuilds compact JWS strings by hand, as an attacker would.</summary>
internal static class JwtParts
{
    public static JsonObject Header(string jwt) => Decode(jwt.Split('.')[0]);

    public static JsonObject Payload(string jwt) => Decode(jwt.Split('.')[1]);

    public static string Encode(JsonNode node) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(node.ToJsonString()));

    public static string Replace(string jwt, JsonObject? header = null, JsonObject? payload = null)
    {
        var parts = jwt.Split('.');
        return string.Join('.', header is null ? parts[0] : Encode(header), payload is null ? parts[1] : Encode(payload), parts[2]);
    }

    private static JsonObject Decode(string part) => JsonNode.Parse(Base64Url.DecodeFromChars(part))!.AsObject();

    public static string Text(JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
