using System.Text.Json.Nodes;

namespace Bastion.Audit;

/// <summary>
/// Which parts of an audit entry are personal data, whose they are, and how they are sealed on the way in and opened
/// on the way out (GDPR art. 17 against an append-only log: crypto-shredding). Personal are the client address and
/// user agent, which belong to the actor (or, for an anonymous request about an account, such as a password reset
/// request, to that account), and, inside <c>changes</c> and <c>details</c>, every string under a member whose name
/// has a word from <see cref="PersonalWords"/> (<c>email</c>, <c>attemptedEmail</c>, <c>fullName</c>,
/// <c>department</c>, …), which belong to the entry's subject (<c>entity_type</c> <c>user</c>) or else the actor.
/// Everything else stays readable after an erasure: what happened, when, to which record, by which user id.
/// A value with no owner (a failed sign-in for an address no session could tie to an account) stays as it was.
/// </summary>
internal static class AuditPersonalFields
{
    public const string IpAddressColumn = "ip_address";
    public const string UserAgentColumn = "user_agent";
    public const string ChangesColumn = "changes";
    public const string DetailsColumn = "details";

    private static readonly HashSet<string> PersonalWords = new(StringComparer.Ordinal)
    {
        "email", "mail", "name", "address", "ip", "agent", "phone", "department",
    };

    public static bool IsPersonalName(string name)
        => AuditRedaction.Words(name).Any(word => PersonalWords.Contains(word) || (word.EndsWith('s') && PersonalWords.Contains(word[..^1])));

    /// <summary>The users whose keys sealing <paramref name="record"/> needs.</summary>
    public static IEnumerable<Guid> Owners(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.UserId is { } actor)
        {
            yield return actor;
        }

        if (Subject(record) is { } subject)
        {
            yield return subject;
        }
    }

    /// <summary>
    /// <paramref name="record"/> with its personal values sealed under their owners' keys; an owner whose key is
    /// shredded (null in <paramref name="keys"/>) gets <see cref="AuditFieldCipher.Erased"/> instead, so an entry written
    /// after an erasure (the erasure's own, for one) cannot bring the data back.
    /// </summary>
    public static AuditRecord Seal(AuditRecord record, IReadOnlyDictionary<Guid, byte[]?> keys)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(keys);
        var clientOwner = record.UserId ?? Subject(record);
        var dataOwner = Subject(record) ?? record.UserId;
        return record with
        {
            IpAddress = SealText(record.IpAddress, clientOwner, keys, IpAddressColumn),
            UserAgent = SealText(record.UserAgent, clientOwner, keys, UserAgentColumn),
            ChangesJson = SealJson(record.ChangesJson, dataOwner, keys, ChangesColumn),
            DetailsJson = SealJson(record.DetailsJson, dataOwner, keys, DetailsColumn),
        };
    }

    /// <summary>The owners of the sealed values in a stored record, whose keys opening it needs.</summary>
    public static IEnumerable<Guid> SealedOwners(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return SealedIn(record.IpAddress).Concat(SealedIn(record.UserAgent)).Concat(SealedIn(record.ChangesJson)).Concat(SealedIn(record.DetailsJson)).Distinct();
    }

    /// <summary>A stored record with its sealed values opened, or shown as <see cref="AuditFieldCipher.Erased"/>. Hashes are left as stored.</summary>
    public static AuditRecord Open(AuditRecord record, Func<Guid, byte[]?> keyOf)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record with
        {
            IpAddress = OpenText(record.IpAddress, keyOf, IpAddressColumn),
            UserAgent = OpenText(record.UserAgent, keyOf, UserAgentColumn),
            ChangesJson = OpenJson(record.ChangesJson, keyOf, ChangesColumn),
            DetailsJson = OpenJson(record.DetailsJson, keyOf, DetailsColumn),
        };
    }

    private static Guid? Subject(AuditRecord record)
        => string.Equals(record.EntityType, "user", StringComparison.Ordinal) && Guid.TryParse(record.EntityId, out var subject) ? subject : null;

    private static string? SealText(string? value, Guid? owner, IReadOnlyDictionary<Guid, byte[]?> keys, string column)
    {
        if (value is null || owner is not { } id)
        {
            return value;
        }

        return keys.GetValueOrDefault(id) is { } key ? AuditFieldCipher.Seal(value, id, key, column) : AuditFieldCipher.Erased;
    }

    private static string? SealJson(string? json, Guid? owner, IReadOnlyDictionary<Guid, byte[]?> keys, string column)
    {
        if (json is null || owner is not { } id || JsonNode.Parse(json) is not JsonObject root)
        {
            return json;
        }

        var changed = false;
        var result = Map(root, personal: false, (text, personal) =>
        {
            if (!personal)
            {
                return text;
            }

            changed = true;
            return keys.GetValueOrDefault(id) is { } key ? AuditFieldCipher.Seal(text, id, key, column) : AuditFieldCipher.Erased;
        });
        return changed ? result!.ToJsonString() : json;
    }

    private static string? OpenText(string? value, Func<Guid, byte[]?> keyOf, string column)
        => AuditFieldCipher.IsSealed(value) ? AuditFieldCipher.Open(value!, keyOf, column) : value;

    private static string? OpenJson(string? json, Func<Guid, byte[]?> keyOf, string column)
    {
        if (json is null || !json.Contains(AuditFieldCipher.Prefix, StringComparison.Ordinal))
        {
            return json;
        }

        try
        {
            return Map(JsonNode.Parse(json), personal: true, (text, _) => AuditFieldCipher.IsSealed(text) ? AuditFieldCipher.Open(text, keyOf, column) : text)?.ToJsonString();
        }
        catch (System.Text.Json.JsonException)
        {
            // A tampered row that is no longer JSON: shown as stored, and the chain verification reports it.
            return json;
        }
    }

    private static IEnumerable<Guid> SealedIn(string? text)
    {
        if (text is null)
        {
            yield break;
        }

        for (var at = text.IndexOf(AuditFieldCipher.Prefix, StringComparison.Ordinal); at >= 0; at = text.IndexOf(AuditFieldCipher.Prefix, at + 1, StringComparison.Ordinal))
        {
            if (AuditFieldCipher.OwnerOf(text[at..]) is { } owner)
            {
                yield return owner;
            }
        }
    }

    // A copy of the tree with every string passed through map, told whether a member above it has a personal name.
    private static JsonNode? Map(JsonNode? node, bool personal, Func<string, bool, string> map) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(member => KeyValuePair.Create(member.Key, Map(member.Value, personal || IsPersonalName(member.Key), map)))),
        JsonArray array => new JsonArray(array.Select(item => Map(item, personal, map)).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(map(text, personal)),
        null => null,
        _ => node.DeepClone(),
    };
}
