using Microsoft.AspNetCore.Builder;

namespace Bastion.Abuse;

/// <summary>Declares where an endpoint is mapped which rate budget its requests spend.</summary>
public static class RateBudgetEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Requests to the endpoint (or every endpoint of the group) spend <paramref name="budget"/>
    /// (<see cref="RateBudgets"/>, or a budget defined in configuration).
    /// </summary>
    public static TBuilder RequireRateBudget<TBuilder>(this TBuilder builder, string budget)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(budget);
        return builder.WithMetadata(new RateBudgetAttribute(budget));
    }
}
