using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bastion.Audit;

/// <summary>
/// Keeps secrets out of the audit log (OWASP Logging Cheat Sheet, "Data to exclude"; ASVS 5.0 V16.2.5): a value whose
/// name looks like a secret is replaced by <see cref="Marker"/>, at any depth. A name is split into words
/// (camelCase, snake_case, kebab-case, digits) and is a secret when a word — singular or plural — is in
/// <see cref="SecretWords"/>, or when the name run together contains one of <see cref="SecretFragments"/>
/// ("newpassword", "accesstoken"). The list errs on the side of hiding: <c>zipCode</c> and <c>keyVersion</c> are
/// redacted too, which costs an auditor little and means a forgotten field name cannot leak a credential.
/// A string shaped like a JWT is redacted whatever its name.
/// </summary>
internal static partial class AuditRedaction
{
    public const string Marker = "[redacted]";

    private static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal)
    {
        "password", "passwd", "passphrase", "pwd", "secret", "token", "code", "key", "totp", "otp", "otpauth",
        "hash", "pin", "salt", "cookie", "authorization", "credential", "signature", "jwt", "bearer", "apikey",
    };

    private static readonly string[] SecretFragments = ["password", "passwd", "secret", "token", "apikey", "privatekey", "credential", "totp", "otpauth"];

    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var joined = new StringBuilder(name.Length);
        foreach (var word in Words(name))
        {
            if (SecretWords.Contains(word)
                || (word.EndsWith('s') && SecretWords.Contains(word[..^1]))
                || (word.EndsWith("es", StringComparison.Ordinal) && SecretWords.Contains(word[..^2])))
            {
                return true;
            }

            joined.Append(word);
        }

        var together = joined.ToString();
        return SecretFragments.Any(fragment => together.Contains(fragment, StringComparison.Ordinal));
    }

    public static bool LooksLikeJwt(string value) => JwtShape().IsMatch(value);

    /// <summary>A copy of <paramref name="node"/> with secret-named members and JWT-shaped strings replaced.</summary>
    public static JsonNode? Redact(JsonNode? node, Func<string, string> cutText) => node switch
    {
        JsonObject obj => RedactObject(obj, cutText),
        JsonArray array => new JsonArray(array.Select(item => Redact(item, cutText)).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var text) => LooksLikeJwt(text) ? JsonValue.Create(Marker) : JsonValue.Create(cutText(text)),
        null => null,
        _ => node.DeepClone(),
    };

    /// <summary>Replaces the values of secret-named query parameters: reset and confirmation links carry tokens.</summary>
    public static string RedactQuery(string resource)
    {
        var question = resource.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return resource;
        }

        var parts = resource[(question + 1)..].Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? parts[i] : parts[i][..equals]);
            var value = equals < 0 ? "" : parts[i][(equals + 1)..];
            if (equals >= 0 && (IsSecretName(name) || LooksLikeJwt(Uri.UnescapeDataString(value))))
            {
                parts[i] = parts[i][..(equals + 1)] + Marker;
            }
        }

        return resource[..(question + 1)] + string.Join('&', parts);
    }

    private static JsonObject RedactObject(JsonObject source, Func<string, string> cutText)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in source)
        {
            copy[name] = IsSecretName(name) ? JsonValue.Create(Marker) : Redact(value, cutText);
        }

        return copy;
    }

    /// <summary>The lower-case words of a member name: camelCase, snake_case, kebab-case and digits split apart.</summary>
    internal static IEnumerable<string> Words(string name)
    {
        var word = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                if (word.Length > 0)
                {
                    yield return word.ToString();
                    word.Clear();
                }

                continue;
            }

            // A new word starts at "aB", "1a"/"a1", and before the last capital of "APIKey".
            var previous = i > 0 ? name[i - 1] : '\0';
            var next = i + 1 < name.Length ? name[i + 1] : '\0';
            var boundary = word.Length > 0 && (
                (char.IsUpper(c) && (char.IsLower(previous) || char.IsDigit(previous)))
                || (char.IsUpper(c) && char.IsUpper(previous) && char.IsLower(next))
                || (char.IsDigit(c) != char.IsDigit(previous)));
            if (boundary)
            {
                yield return word.ToString();
                word.Clear();
            }

            word.Append(char.ToLowerInvariant(c));
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    [GeneratedRegex(@"^\s*(Bearer\s+)?eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*\s*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex JwtShape();
}
