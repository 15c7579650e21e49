using System.Linq.Expressions;

namespace Bastion.Access;

/// <summary>
/// A condition that limits a grant to some records (seed 002's dynamic conditions). Register more with
/// <c>services.AddSingleton&lt;IAccessCondition, MyCondition&gt;()</c>; a permission names it as
/// <c>resource:action:name[:argument]</c>. Each condition answers for one record and as a query filter, so lists
/// and searches return exactly the records single reads would allow.
/// </summary>
public interface IAccessCondition
{
    string Name { get; }

    bool IsSatisfied(AccessSubject subject, IOwnedResource resource, string? argument);

    /// <summary>The same rule as a predicate over <paramref name="record"/>, for the database to evaluate.</summary>
    Expression Filter(AccessSubject subject, ParameterExpression record, string? argument);
}

/// <summary>A condition that allows the records of one department only (which one may depend on the caller).</summary>
public interface IDepartmentCondition : IAccessCondition
{
    /// <summary>The department this grant allows, or null when it allows none.</summary>
    string? DepartmentOf(AccessSubject subject, string? argument);
}

/// <summary>Only the owner: <c>owner_only</c>.</summary>
internal sealed class OwnerOnlyCondition : IAccessCondition
{
    public string Name => "owner_only";

    public bool IsSatisfied(AccessSubject subject, IOwnedResource resource, string? argument) => resource.OwnerId == subject.UserId;

    public Expression Filter(AccessSubject subject, ParameterExpression record, string? argument)
        => Expression.Equal(Expression.Property(record, nameof(IOwnedResource.OwnerId)), Expression.Constant(subject.UserId));
}

/// <summary>Records of the caller's own department: <c>same_department</c>. A user without a department matches nothing.</summary>
internal sealed class SameDepartmentCondition : IDepartmentCondition
{
    public string Name => "same_department";

    public string? DepartmentOf(AccessSubject subject, string? argument) => subject.Department;

    public bool IsSatisfied(AccessSubject subject, IOwnedResource resource, string? argument)
        => subject.Department is not null && string.Equals(resource.Department, subject.Department, StringComparison.Ordinal);

    public Expression Filter(AccessSubject subject, ParameterExpression record, string? argument)
        => subject.Department is null
            ? Expression.Constant(false)
            : Expression.Equal(Expression.Property(record, nameof(IOwnedResource.Department)), Expression.Constant(subject.Department, typeof(string)));
}

/// <summary>Records of one named department: <c>department:engineering</c>.</summary>
internal sealed class DepartmentCondition : IDepartmentCondition
{
    public string Name => "department";

    public string? DepartmentOf(AccessSubject subject, string? argument) => argument;

    public bool IsSatisfied(AccessSubject subject, IOwnedResource resource, string? argument)
        => argument is not null && string.Equals(resource.Department, argument, StringComparison.Ordinal);

    public Expression Filter(AccessSubject subject, ParameterExpression record, string? argument)
        => argument is null
            ? Expression.Constant(false)
            : Expression.Equal(Expression.Property(record, nameof(IOwnedResource.Department)), Expression.Constant(argument, typeof(string)));
}
