using System.Linq.Expressions;
using System.Security.Claims;
using Bastion.Sessions;

namespace Bastion.Access;

/// <summary>
/// Answers "may this user do this to this record?" and "which records may this user see?" from the same grants
/// and conditions, so a list never shows what a single read would refuse.
/// </summary>
public sealed class AccessPolicy(AccessSubjectStore subjects, IEnumerable<IAccessCondition> conditions)
{
    private readonly Dictionary<string, IAccessCondition> _conditions = conditions.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public async ValueTask<AccessSubject?> SubjectAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
        => user.UserId() is { } id ? await subjects.GetAsync(id, cancellationToken) : null;

    /// <summary>The rank of a role, or null when there is no such role.</summary>
    public ValueTask<int?> RankOfAsync(string role, CancellationToken cancellationToken = default) => subjects.RankOfAsync(role, cancellationToken);

    /// <summary>Whether a grant for <paramref name="resource"/>:<paramref name="action"/> allows it on <paramref name="record"/>.</summary>
    public bool Allows(AccessSubject subject, string resource, string action, IOwnedResource record)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(record);
        return subject.IsActive && subject.Grants.Any(g => g.Matches(resource, action)
            && (g.Condition is null || (_conditions.TryGetValue(g.Condition, out var condition) && condition.IsSatisfied(subject, record, g.Argument))));
    }

    /// <summary>
    /// A predicate selecting exactly the records the grants allow: everything for an unconditional grant, the
    /// OR of the conditions otherwise, nothing without a grant. The database evaluates it, so the cost of a
    /// query does not grow with records the caller cannot see (given an index on the filtered columns).
    /// </summary>
    public Expression<Func<T, bool>> Filter<T>(AccessSubject subject, string resource, string action)
        where T : IOwnedResource
    {
        ArgumentNullException.ThrowIfNull(subject);
        var record = Expression.Parameter(typeof(T), "record");
        var grants = subject.IsActive ? subject.Grants.Where(g => g.Matches(resource, action)).ToList() : [];
        Expression body = grants.Any(g => g.Condition is null)
            ? Expression.Constant(true)
            : grants.Select(g => _conditions.TryGetValue(g.Condition!, out var condition) ? condition.Filter(subject, record, g.Argument) : Expression.Constant(false))
                .Aggregate((Expression)Expression.Constant(false), Expression.OrElse);
        return Expression.Lambda<Func<T, bool>>(body, record);
    }

    /// <summary>
    /// The one department that every record the grants allow belongs to, or null when they allow records of more
    /// than one department (or of none in particular): lets a query use an index keyed by department, in addition
    /// to <see cref="Filter{T}"/>, never instead of it.
    /// </summary>
    public string? DepartmentScope(AccessSubject subject, string resource, string action)
    {
        ArgumentNullException.ThrowIfNull(subject);
        string? scope = null;
        foreach (var grant in subject.Grants.Where(g => g.Matches(resource, action)))
        {
            if (grant.Condition is null || !_conditions.TryGetValue(grant.Condition, out var condition)
                || condition is not IDepartmentCondition departmental || departmental.DepartmentOf(subject, grant.Argument) is not { } department
                || (scope is not null && !string.Equals(scope, department, StringComparison.Ordinal)))
            {
                return null;
            }

            scope = department;
        }

        return scope;
    }
}
