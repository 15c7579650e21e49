using Bastion.Access;

namespace Bastion.Tests.Access;

public sealed class DepartmentScopeTests
{
    // DepartmentScope reads only the grants and the conditions, never the subject store.
    private static readonly AccessPolicy Policy = new(subjects: null!, [new OwnerOnlyCondition(), new SameDepartmentCondition(), new DepartmentCondition()]);

    private static AccessSubject Subject(string? department, params string?[] conditions)
        => new(Guid.NewGuid(), department, IsActive: true, ["viewer"], 1, [.. conditions.Select(c => Grant.From("equipment", "read", c)), Grant.From("reports", "read", null)]);

    [Theory]
    [InlineData("Sales", new[] { "same_department" }, "Sales")]
    [InlineData("Sales", new[] { "department:Sales" }, "Sales")]
    [InlineData("Sales", new[] { "same_department", "department:Sales" }, "Sales")]
    [InlineData(null, new[] { "department:Sales" }, "Sales")]
    [InlineData("Sales", new[] { "same_department", "department:Engineering" }, null)]   // two departments
    [InlineData("Sales", new[] { "same_department", "owner_only" }, null)]               // own records elsewhere too
    [InlineData("Sales", new[] { "same_department", null }, null)]                       // one grant allows everything
    [InlineData(null, new[] { "same_department" }, null)]                                // no department: allows nothing
    [InlineData("Sales", new[] { "no_such_condition" }, null)]
    [InlineData("Sales", new string?[0], null)]                                          // no grant at all
    public void IsTheOneDepartmentEveryAllowedRecordBelongsTo(string? department, string?[] conditions, string? expected)
        => Assert.Equal(expected, Policy.DepartmentScope(Subject(department, conditions), "equipment", "read"));

    [Fact]
    public void OnlyGrantsForTheResourceAndActionCount()
    {
        var subject = Subject("Sales") with
        {
            Grants = [Grant.From("equipment", "read", "same_department"), Grant.From("equipment", "update", null), Grant.From("reports", "read", null)],
        };

        Assert.Equal("Sales", Policy.DepartmentScope(subject, "equipment", "read"));
        Assert.Null(Policy.DepartmentScope(subject, "equipment", "update"));
    }
}
