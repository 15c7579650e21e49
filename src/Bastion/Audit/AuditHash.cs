using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bastion.Audit;

/// <summary>
/// The hash chain that makes the audit log tamper-evident (ASVS 5.0 V16.4.2). For each entry:
/// <code>
/// hash = lowercase-hex( SHA-256( ASCII(prev_hash) ‖ canonical(entry) ) )
/// canonical(entry) = F("audit-v1") ‖ F(seq) ‖ F(occurred_at) ‖ F(type) ‖ F(severity) ‖ F(outcome) ‖ F(user_id)
///                  ‖ F(ip_address) ‖ F(user_agent) ‖ F(resource) ‖ F(action) ‖ F(entity_type) ‖ F(entity_id)
///                  ‖ F(request_id) ‖ F(changes) ‖ F(details)
/// F(null) = "~,"        F(s) = decimal byte length of UTF-8(s) ‖ ":" ‖ UTF-8(s) ‖ ","   (a netstring)
/// </code>
/// where <c>prev_hash</c> is the previous entry's hash (64 <c>0</c>s for the first entry), <c>seq</c> is in
/// decimal, <c>occurred_at</c> is Unix time in milliseconds in decimal, <c>user_id</c> is the UUID in lower-case
/// 8-4-4-4-12 form, and every other field is the exact text stored in its column (<c>changes</c> and <c>details</c>
/// are the stored JSON text, not a re-serialisation). Length prefixes make the encoding unambiguous, so no two
/// different rows share a canonical form; the version tag lets a later format coexist with this one. Because each
/// hash covers the previous one, editing, deleting, inserting or reordering any entry breaks every link after it.
/// </summary>
internal static class AuditHash
{
    public const string Version = "audit-v1";

    public static readonly string Genesis = new('0', 64);

    public static string Compute(AuditRecord record) => Compute(record.PrevHash, Canonical(record));

    public static string Compute(string prevHash, byte[] canonical)
    {
        ArgumentNullException.ThrowIfNull(prevHash);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.ASCII.GetBytes(prevHash));
        hash.AppendData(canonical);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static byte[] Canonical(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var builder = new CanonicalBuilder();
        builder.Add(Version);
        builder.Add(record.Seq.ToString(CultureInfo.InvariantCulture));
        builder.Add(record.OccurredAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        builder.Add(record.Type);
        builder.Add(record.Severity);
        builder.Add(record.Outcome);
        builder.Add(record.UserId?.ToString("D"));
        builder.Add(record.IpAddress);
        builder.Add(record.UserAgent);
        builder.Add(record.Resource);
        builder.Add(record.Action);
        builder.Add(record.EntityType);
        builder.Add(record.EntityId);
        builder.Add(record.RequestId);
        builder.Add(record.ChangesJson);
        builder.Add(record.DetailsJson);
        return builder.ToArray();
    }

    private sealed class CanonicalBuilder
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(512);

        public void Add(string? value)
        {
            if (value is null)
            {
                _buffer.Write("~,"u8);
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(value);
            _buffer.Write(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture)));
            _buffer.Write(":"u8);
            _buffer.Write(bytes);
            _buffer.Write(","u8);
        }

        public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
    }
}
