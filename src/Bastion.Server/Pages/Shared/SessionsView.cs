using Bastion.Sessions;

namespace Bastion.Server.Pages.Shared;

/// <summary>What the sessions partial shows: the user's sessions and which one is this browser's.</summary>
public sealed record SessionsView(IReadOnlyList<(string Handle, SessionRecord Record)> Sessions, string? CurrentHandle);
