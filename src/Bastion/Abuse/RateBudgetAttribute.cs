namespace Bastion.Abuse;

/// <summary>
/// Names the rate budget of a Razor page or controller, for the given HTTP methods (all when none are given):
/// <c>[RateBudget(RateBudgets.SignIn, "POST")]</c>. A page whose handlers differ names each with
/// <see cref="Handler"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class RateBudgetAttribute(string budget, params string[] methods) : Attribute, IRateBudgetMetadata
{
    public string Budget { get; } = budget;

    public IReadOnlyList<string> Methods { get; } = methods;

    public string? Handler { get; init; }
}
