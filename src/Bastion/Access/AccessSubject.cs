namespace Bastion.Access;

/// <summary>A user as authorization sees them: current roles, department and effective grants, from the database.</summary>
public sealed record AccessSubject(Guid UserId, string? Department, bool IsActive, IReadOnlyList<string> Roles, int Rank, IReadOnlyList<Grant> Grants)
{
    /// <summary>Whether the account has a second factor (TOTP or e-mail codes) turned on.</summary>
    public bool HasSecondFactor { get; init; }

    /// <summary>Whether the account's address has been confirmed through a mailed link.</summary>
    public bool EmailVerified { get; init; }

    /// <summary>Whether any grant allows <paramref name="action"/> on <paramref name="resource"/>, under some condition or none.</summary>
    public bool MayEver(string resource, string action) => IsActive && Grants.Any(g => g.Matches(resource, action));

    /// <summary>The permission names, for display (<c>equipment:update:owner_only</c>).</summary>
    public IReadOnlyList<string> PermissionNames => Grants.Select(g => g.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}

/// <summary>One permission held: <c>resource:action</c> and an optional condition with its argument.</summary>
public sealed record Grant(string Resource, string Action, string? Condition, string? Argument)
{
    public string Name => Condition is null ? $"{Resource}:{Action}" : Argument is null ? $"{Resource}:{Action}:{Condition}" : $"{Resource}:{Action}:{Condition}:{Argument}";

    public bool Matches(string resource, string action)
        => string.Equals(Resource, resource, StringComparison.Ordinal) && string.Equals(Action, action, StringComparison.Ordinal);

    /// <summary>Parses a stored condition (<c>name</c> or <c>name:argument</c>).</summary>
    public static Grant From(string resource, string action, string? condition)
    {
        if (condition is null)
        {
            return new Grant(resource, action, null, null);
        }

        var colon = condition.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new Grant(resource, action, condition, null) : new Grant(resource, action, condition[..colon], condition[(colon + 1)..]);
    }
}
