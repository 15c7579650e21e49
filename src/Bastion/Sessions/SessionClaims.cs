using System.Security.Claims;

namespace Bastion.Sessions;

/// <summary>Claim types Bastion puts on an authenticated principal (JWT names, RFC 7519 / RFC 8176).</summary>
public static class BastionClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Name = "name";
    public const string Role = "role";
    public const string SessionId = "sid";
    public const string AuthenticationMethod = "amr";

    /// <summary>
    /// Which sign-in the principal belongs to (<c>sid</c>): the session handle for a cookie, the refresh family for a
    /// bearer token; null when absent.
    /// </summary>
    public static string? SignInId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirstValue(SessionId);
    }

    /// <summary>The refresh family of a bearer-token principal, or null (a cookie session has none).</summary>
    public static Guid? TokenFamilyId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Identity?.AuthenticationType == Tokens.BearerDefaults.AuthenticationScheme
            && Guid.TryParse(principal.FindFirstValue(SessionId), out var family) ? family : null;
    }

    /// <summary>The user id of an authenticated principal, or null.</summary>
    public static Guid? UserId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Guid.TryParse(principal.FindFirstValue(Subject), out var id) ? id : null;
    }

    internal static ClaimsPrincipal CreatePrincipal(string handle, SessionRecord record, string authenticationType)
    {
        var claims = new List<Claim>(8 + record.Roles.Count)
        {
            new(Subject, record.UserId.ToString()),
            new(Email, record.Email),
            new(Name, record.FullName),
            new(SessionId, handle),
        };
        claims.AddRange(record.Roles.Select(role => new Claim(Role, role)));
        claims.AddRange(record.Amr.Select(method => new Claim(AuthenticationMethod, method)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, Name, Role));
    }
}
