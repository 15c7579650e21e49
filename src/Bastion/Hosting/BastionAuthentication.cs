namespace Bastion.Hosting;

/// <summary>The default authentication scheme: a bearer token when the request has one, else the session cookie.</summary>
public static class BastionAuthentication
{
    public const string Scheme = "Bastion";
}
