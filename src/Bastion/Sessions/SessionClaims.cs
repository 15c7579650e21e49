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
