using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Bastion.Accounts.Passwords;

/// <summary>
/// A password as UTF-8 bytes in a pooled buffer that is wiped on dispose. The managed string itself cannot be
/// wiped; this only keeps the byte copies handed to the hash functions from lingering in memory.
/// </summary>
/// <remarks>
/// The password is NFKC-normalised first (NIST SP 800-63B §5.1.1.2), so the same password typed on keyboards or
/// systems that compose characters differently ("é" as one code point or as "e" plus an accent) hashes the same.
/// </remarks>
internal ref struct Utf8Password
{
    private byte[]? _buffer;
    private readonly int _length;

    public Utf8Password(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!password.IsNormalized(NormalizationForm.FormKC))
        {
            password = password.Normalize(NormalizationForm.FormKC);
        }

        _buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(password));
        _length = Encoding.UTF8.GetBytes(password, _buffer);
    }

    public readonly ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    public void Dispose()
    {
        if (_buffer is not null)
        {
            CryptographicOperations.ZeroMemory(_buffer);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
