using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bastion.Audit;

/// <summary>
/// Turns an <see cref="AuditEvent"/> into the record that is hashed and stored. Attribute values may come from the
/// attacker (user agent, path), so control characters are replaced with U+FFFD, which keeps forged line breaks out of
/// any log view or export (OWASP Logging Cheat Sheet, "Event data sanitization"; ASVS 5.0 V16.4.1), and long values
/// are cut, so one request cannot make an entry of any size. Secrets are removed by <see cref="AuditRedaction"/>.
/// </summary>
internal static class AuditEntryBuilder
{
    public const int MaxJsonBytes = 16 * 1024;
    public const int MaxJsonStringLength = 1024;
    private const char Replacement = '\uFFFD';
    private const string CutMarker = "…";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { MaxDepth = 16 };

    public static AuditRecord Build(AuditEvent auditEvent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (!AuditEventTypes.IsValid(auditEvent.Type))
        {
            throw new ArgumentException($"Audit event type '{auditEvent.Type}' is not snake_case (a-z, 0-9, _; at most 64 characters).", nameof(auditEvent));
        }

        // Millisecond precision is what both providers store, and the hash must cover the value read back.
        var occurredAt = DateTimeOffset.FromUnixTimeMilliseconds((auditEvent.OccurredAt ?? now).ToUnixTimeMilliseconds());
        return new AuditRecord
        {
            OccurredAt = occurredAt,
            Type = auditEvent.Type,
            Severity = Name(auditEvent.Severity),
            Outcome = Name(auditEvent.Outcome),
            UserId = auditEvent.UserId,
            IpAddress = Text(auditEvent.IpAddress, 64),
            UserAgent = Text(auditEvent.UserAgent, 512),
            Resource = auditEvent.Resource is null ? null : Text(AuditRedaction.RedactQuery(auditEvent.Resource), 1024),
            Action = Text(auditEvent.Action, 128),
            EntityType = Text(auditEvent.EntityType, 128),
            EntityId = Text(auditEvent.EntityId, 256),
            RequestId = Text(auditEvent.RequestId, 128),
            ChangesJson = Serialize(Changes(auditEvent.Changes), nameof(AuditEvent.Changes)),
            DetailsJson = Serialize(auditEvent.Details is null ? null : AuditRedaction.Redact(auditEvent.Details, CutJsonString) as JsonObject, nameof(AuditEvent.Details)),
        };
    }

    public static string Name(AuditSeverity severity) => severity switch
    {
        AuditSeverity.Info => "info",
        AuditSeverity.Warning => "warning",
        AuditSeverity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "Unknown audit severity."),
    };

    public static string Name(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Success => "success",
        AuditOutcome.Failure => "failure",
        AuditOutcome.Denied => "denied",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown audit outcome."),
    };

    /// <summary>Control characters and lone surrogates replaced, cut to <paramref name="maxLength"/> characters (never inside a surrogate pair).</summary>
    public static string? Text(string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        // Lone surrogates are replaced too: they are not valid UTF-8, which PostgreSQL refuses and the hash would not match.
        var builder = new StringBuilder(Math.Min(value.Length, maxLength));
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else
            {
                builder.Append(char.IsControl(c) || char.IsSurrogate(c) ? Replacement : c);
            }
        }

        if (builder.Length <= maxLength)
        {
            return builder.ToString();
        }

        var keep = maxLength - CutMarker.Length;
        if (char.IsHighSurrogate(builder[keep - 1]))
        {
            keep--;
        }

        return builder.ToString(0, keep) + CutMarker;
    }

    private static JsonObject? Changes(IReadOnlyDictionary<string, (object? Old, object? New)>? changes)
    {
        if (changes is null || changes.Count == 0)
        {
            return null;
        }

        var result = new JsonObject();
        foreach (var (field, (oldValue, newValue)) in changes.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            result[field] = AuditRedaction.IsSecretName(field)
                ? new JsonObject { ["old"] = AuditRedaction.Marker, ["new"] = AuditRedaction.Marker }
                : new JsonObject { ["old"] = Value(oldValue), ["new"] = Value(newValue) };
        }

        return result;
    }

    private static JsonNode? Value(object? value) => value switch
    {
        null => null,
        JsonNode node => AuditRedaction.Redact(node, CutJsonString),
        _ => AuditRedaction.Redact(JsonSerializer.SerializeToNode(value, value.GetType(), JsonOptions), CutJsonString),
    };

    private static string CutJsonString(string value) => Text(value, MaxJsonStringLength)!;

    private static string? Serialize(JsonObject? value, string field)
    {
        if (value is null || value.Count == 0)
        {
            return null;
        }

        var json = value.ToJsonString(JsonOptions);
        return Encoding.UTF8.GetByteCount(json) <= MaxJsonBytes
            ? json
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Audit {field} is larger than {MaxJsonBytes} bytes: an audit entry records what happened, not the data itself."), field);
    }
}
