namespace Bastion.Email;

/// <summary>
/// A row this node claimed: until <see cref="LeaseEnds"/> no other node takes it. The lease's end also identifies
/// the claim — a row re-claimed by another node after the lease ran out has a later one — so that a node whose
/// lease ran out does not reschedule or release a row it no longer holds.
/// </summary>
/// <param name="Attempts">Attempts including this one.</param>
internal sealed record OutboxClaim(long Id, string Recipient, string Category, byte[] Content, int Attempts, DateTimeOffset LeaseEnds);
