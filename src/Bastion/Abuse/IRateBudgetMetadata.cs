namespace Bastion.Abuse;

/// <summary>
/// Endpoint metadata naming the rate budget that requests to the endpoint spend. When several apply, the one naming
/// the request's page handler wins over those naming none, and among equals the one added last (the endpoint's own
/// over its group's).
/// </summary>
public interface IRateBudgetMetadata
{
    /// <summary>The budget's name (<see cref="RateBudgets"/>, or one defined in configuration).</summary>
    string Budget { get; }

    /// <summary>The HTTP methods it applies to; empty for all.</summary>
    IReadOnlyList<string> Methods { get; }

    /// <summary>For a Razor page, the named handler (<c>?handler=</c>) it applies to; null for all.</summary>
    string? Handler { get; }
}
