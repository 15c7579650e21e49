namespace Bastion.Abuse;

/// <summary>How a sign-in's source relates to the account: it decides which lockout counts the attempt.</summary>
public enum SourceFamiliarity
{
    /// <summary>Never signed in to this account: counted by the account-wide lockout for unfamiliar sources.</summary>
    Unfamiliar,

    /// <summary>An address the account signed in from before (for clients without cookies).</summary>
    KnownAddress,

    /// <summary>A browser or client holding a device cookie this account's sign-in issued.</summary>
    KnownDevice,
}
