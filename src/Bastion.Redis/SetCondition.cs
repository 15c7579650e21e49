namespace Bastion.Redis;

/// <summary>When <see cref="RedisClient.SetAsync"/> writes the value.</summary>
public enum SetCondition
{
    /// <summary>Always write the value.</summary>
    Always = 0,

    /// <summary>Write only if the key does not exist (<c>NX</c>), the building block of a lock or a one-time token.</summary>
    IfNotExists,

    /// <summary>Write only if the key already exists (<c>XX</c>).</summary>
    IfExists,
}
