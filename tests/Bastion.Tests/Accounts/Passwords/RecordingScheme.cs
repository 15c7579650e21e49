using Bastion.Accounts.Passwords;

namespace Bastion.Tests.Accounts.Passwords;

/// <summary>A hash scheme that passes everything to the real one and records each verification and its result.</summary>
internal sealed class RecordingScheme(IPasswordHashScheme inner, List<RecordingScheme.Verification> log) : IPasswordHashScheme
{
    public sealed record Verification(RecordingScheme Scheme, string EncodedHash, bool Matched);

    public IPasswordHashScheme Inner => inner;

    public PasswordHashAlgorithm Algorithm => inner.Algorithm;

    public bool Recognizes(string encodedHash) => inner.Recognizes(encodedHash);

    public string Hash(ReadOnlySpan<byte> password) => inner.Hash(password);

    public bool Verify(ReadOnlySpan<byte> password, string encodedHash)
    {
        var matched = inner.Verify(password, encodedHash);
        log.Add(new Verification(this, encodedHash, matched));
        return matched;
    }

    public bool NeedsRehash(string encodedHash) => inner.NeedsRehash(encodedHash);
}
