namespace Bastion.Hosting;

/// <summary>The default authentication scheme: a bearer token when the request has one, else the session cookie.</summary>
public static class BastionAuthentication
{
    public const string Scheme = "Bastion";

    /// <summary>The authorization policy "signed in through Bastion", by session or bearer token.</summary>
    public const string Policy = "Bastion";
}
