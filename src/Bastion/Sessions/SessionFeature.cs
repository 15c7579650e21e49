namespace Bastion.Sessions;

/// <summary>The session behind the current request, set by the session authentication handler.</summary>
public sealed record SessionFeature(string Handle, SessionRecord Record);
