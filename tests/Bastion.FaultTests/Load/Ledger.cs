using System.Collections.Concurrent;

namespace Bastion.FaultTests.Load;

/// <summary>What clients were told succeeded, to compare with what the database and the catcher hold at the end.</summary>
internal sealed class Ledger
{
    private readonly ConcurrentDictionary<int, ConcurrentBag<Guid>> _created = new();
    private readonly ConcurrentDictionary<string, int> _mailsDue = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A create answered 2xx in <paramref name="phase"/>, with the id the server gave.</summary>
    public void Created(int phase, Guid id) => _created.GetOrAdd(phase, _ => []).Add(id);

    public IReadOnlyList<Guid> CreatedIn(int phase) => _created.TryGetValue(phase, out var ids) ? ids.ToList() : [];

    /// <summary>A forgot-password request for <paramref name="email"/> answered 202: a mail is due.</summary>
    public void MailDue(string email) => _mailsDue.AddOrUpdate(email, 1, (_, n) => n + 1);

    public int MailsDueTo(string email) => _mailsDue.GetValueOrDefault(email);

    /// <summary>The name of a create: unique per request, tagged with its phase so the checks can find it by prefix.</summary>
    public static string EquipmentName(int phase, int writer, int sequence) => $"{PhaseTag(phase)}w{writer}-{sequence}";

    public static string PhaseTag(int phase) => $"fault-p{phase:00}-";
}
