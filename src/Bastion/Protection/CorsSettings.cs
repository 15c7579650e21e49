namespace Bastion.Protection;

/// <summary>Cross-origin access (<c>Bastion:Cors</c>): only the listed origins, never a wildcard with credentials.</summary>
public sealed class CorsSettings
{
    /// <summary>Exact origins (scheme://host[:port]) allowed to call the API from a browser.</summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Whether those origins may send cookies. Refused together with a wildcard origin.</summary>
    public bool AllowCredentials { get; set; } = true;
}
