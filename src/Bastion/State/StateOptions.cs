namespace Bastion.State;

/// <summary>Where shared ephemeral state lives (<c>Bastion:State</c>).</summary>
public sealed class StateOptions
{
    /// <summary><see cref="StateProvider.Memory"/> for one node; <see cref="StateProvider.Redis"/> to share it between nodes.</summary>
    public StateProvider Provider { get; set; } = StateProvider.Memory;

    /// <summary>The Redis configuration string, e.g. <c>127.0.0.1:6379,password=…</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of every key, so that several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "bastion:";
}

public enum StateProvider
{
    Memory,
    Redis,
}
