namespace Bastion.Encryption;

/// <summary>How many values of one column are stored under each key version, and how many name no version at all.</summary>
internal sealed record KeyVersionUsage(IReadOnlyDictionary<int, long> Versions, long Malformed)
{
    /// <summary>Counts from the stored prefixes (<c>v2:</c>, <c>i2:</c>, …) and how often each occurs.</summary>
    internal static KeyVersionUsage From(IEnumerable<(string Prefix, long Count)> prefixes, Func<string, int?> version)
    {
        var versions = new SortedDictionary<int, long>();
        long malformed = 0;
        foreach (var (prefix, count) in prefixes)
        {
            if (version(prefix) is { } v)
            {
                versions[v] = versions.GetValueOrDefault(v) + count;
            }
            else
            {
                malformed += count;
            }
        }

        return new KeyVersionUsage(versions, malformed);
    }
}
