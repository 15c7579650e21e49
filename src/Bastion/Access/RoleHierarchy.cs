namespace Bastion.Access;

/// <summary>
/// The two rank comparisons every administrative action uses, in one place so that no endpoint drifts from them
/// (OWASP ASVS 5.0 §8.2: no privilege escalation through administration): a role may be granted up to one's own
/// rank, and an account may be managed (approved, disabled, enabled, edited, given roles) only from strictly above
/// it, so peers of the same rank cannot disable, re-enable or reshape each other.
/// </summary>
internal static class RoleHierarchy
{
    /// <summary>Whether someone of <paramref name="actorRank"/> may grant a role of <paramref name="roleRank"/>.</summary>
    public static bool MayGrant(int actorRank, int roleRank) => roleRank <= actorRank;

    /// <summary>Whether someone of <paramref name="actorRank"/> may manage an account whose highest role has <paramref name="targetRank"/>.</summary>
    public static bool MayManage(int actorRank, int targetRank) => targetRank < actorRank;
}
