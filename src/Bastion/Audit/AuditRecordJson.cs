using System.Globalization;
using System.Text.Json;

namespace Bastion.Audit;

/// <summary>
/// One entry as a JSON object, the form of the JSON Lines export and of webhook alerts. <c>changes</c> and
/// <c>details</c> are embedded as JSON; a stored value that is no longer valid JSON (a tampered row) is written as a
/// string instead, so the export still completes and shows it.
/// </summary>
internal static class AuditRecordJson
{
    public static void Write(Utf8JsonWriter writer, AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        writer.WriteNumber("seq", record.Seq);
        writer.WriteString("occurredAt", record.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("type", record.Type);
        writer.WriteString("severity", record.Severity);
        writer.WriteString("outcome", record.Outcome);
        if (record.UserId is { } userId)
        {
            writer.WriteString("userId", userId);
        }
        else
        {
            writer.WriteNull("userId");
        }

        writer.WriteString("ipAddress", record.IpAddress);
        writer.WriteString("userAgent", record.UserAgent);
        writer.WriteString("resource", record.Resource);
        writer.WriteString("action", record.Action);
        writer.WriteString("entityType", record.EntityType);
        writer.WriteString("entityId", record.EntityId);
        writer.WriteString("requestId", record.RequestId);
        WriteJson(writer, "changes", record.ChangesJson);
        WriteJson(writer, "details", record.DetailsJson);
        writer.WriteString("prevHash", record.PrevHash);
        writer.WriteString("hash", record.Hash);
        writer.WriteEndObject();
    }

    private static void WriteJson(Utf8JsonWriter writer, string name, string? json)
    {
        writer.WritePropertyName(name);
        if (json is null)
        {
            writer.WriteNullValue();
            return;
        }

        try
        {
            writer.WriteRawValue(json);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(json);
        }
    }
}
