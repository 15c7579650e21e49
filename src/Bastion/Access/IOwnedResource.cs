namespace Bastion.Access;

/// <summary>
/// A record that belongs to a user and a department: what permission conditions look at. The server sets both
/// when the record is created; they are never taken from a request body.
/// </summary>
public interface IOwnedResource
{
    Guid OwnerId { get; }

    string? Department { get; }
}
