namespace Bastion.Abuse;

/// <summary>
/// Moves one route to another budget (<c>Bastion:Abuse:RateLimits:Routes:{i}</c>), whatever its endpoint declares.
/// </summary>
public sealed class RateRouteOptions
{
    /// <summary>
    /// An endpoint name (<c>Login</c>), or a route pattern, optionally after a method (<c>GET /api/equipment/export</c>).
    /// </summary>
    public string Match { get; set; } = string.Empty;

    /// <summary>The budget its requests spend.</summary>
    public string Budget { get; set; } = string.Empty;
}
