namespace Bastion.State;

/// <summary>
/// State every node keeps a copy of in memory — revocations, IP blocks, permission caches — kept current by the
/// state store's channel, and reloaded periodically in case a message was missed (a Redis restart drops them).
/// </summary>
public interface ISharedState
{
    string Channel { get; }

    /// <summary>How often to reload everything, or null when messages alone suffice (entries expire anyway).</summary>
    TimeSpan? ReloadInterval { get; }

    ValueTask ApplyAsync(string message);

    Task ReloadAsync(CancellationToken cancellationToken);
}
