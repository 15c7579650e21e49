namespace Bastion.Sessions;

/// <summary>Names an application uses with the framework's authentication APIs.</summary>
public static class SessionDefaults
{
    /// <summary>The authentication scheme of the session cookie: <c>HttpContext.SignInAsync(SessionDefaults.AuthenticationScheme, …)</c>.</summary>
    public const string AuthenticationScheme = "Bastion.Session";
}
