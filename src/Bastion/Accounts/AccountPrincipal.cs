using System.Security.Claims;
using Bastion.Sessions;
using Bastion.Storage;

namespace Bastion.Accounts;

/// <summary>Builds the principal that is signed in for a user.</summary>
public static class AccountPrincipal
{
    public static ClaimsPrincipal Create(User user, IEnumerable<string> authenticationMethods)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(authenticationMethods);
        var claims = new List<Claim>
        {
            new(BastionClaims.Subject, user.Id.ToString()),
            new(BastionClaims.Email, user.Email),
            new(BastionClaims.Name, user.FullName),
        };
        claims.AddRange(user.Roles.Select(r => new Claim(BastionClaims.Role, r.RoleName)));
        claims.AddRange(authenticationMethods.Select(m => new Claim(BastionClaims.AuthenticationMethod, m)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Bastion", BastionClaims.Name, BastionClaims.Role));
    }
}
