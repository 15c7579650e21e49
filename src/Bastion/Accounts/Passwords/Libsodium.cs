using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Text;

namespace Bastion.Accounts.Passwords;

/// <summary>The few libsodium password-hashing functions Bastion calls (libsodium "Password hashing" API).</summary>
internal static partial class Libsodium
{
    private const string LibraryName = "libsodium";

    // Distributions ship only the versioned soname unless the -dev package is installed, so the plain name
    // the runtime probes for ("libsodium.so") is often missing. 23 is libsodium 1.0.18, 26 is 1.0.19 and later.
    private static readonly string[] VersionedNames = ["libsodium.so.23", "libsodium.so.26"];

    private const int AlgArgon2id13 = 2; // crypto_pwhash_ALG_ARGON2ID13
    private const int StrBytes = 128; // crypto_pwhash_STRBYTES, including the terminating NUL

    private static readonly Lazy<bool> Initialized = new(Initialize);

    /// <summary>Whether libsodium could be loaded and initialised; loads it on first use.</summary>
    public static bool IsAvailable => Initialized.Value;

    /// <summary>Hashes with Argon2id into libsodium's encoded form <c>$argon2id$v=19$m=…,t=…,p=1$salt$hash</c>.</summary>
    public static string HashArgon2id(ReadOnlySpan<byte> password, ulong iterations, nuint memoryBytes)
    {
        EnsureAvailable();
        Span<byte> encoded = stackalloc byte[StrBytes];
        if (CryptoPwhashStrAlg(encoded, password, (ulong)password.Length, iterations, memoryBytes, AlgArgon2id13) != 0)
        {
            throw new InvalidOperationException("libsodium could not compute an Argon2id hash; the host may be out of memory.");
        }

        var length = encoded.IndexOf((byte)0);
        return Encoding.ASCII.GetString(encoded[..(length < 0 ? StrBytes : length)]);
    }

    /// <summary>Verifies a password against an encoded hash; false for a mismatch or a malformed hash.</summary>
    public static bool Verify(string encodedHash, ReadOnlySpan<byte> password)
    {
        EnsureAvailable();
        Span<byte> encoded = stackalloc byte[StrBytes];
        return TryEncodeCString(encodedHash, encoded)
            && CryptoPwhashStrVerify(encoded, password, (ulong)password.Length) == 0;
    }

    /// <summary>True unless the hash is well formed and made with exactly these parameters.</summary>
    public static bool NeedsRehash(string encodedHash, ulong iterations, nuint memoryBytes)
    {
        EnsureAvailable();
        Span<byte> encoded = stackalloc byte[StrBytes];
        return !TryEncodeCString(encodedHash, encoded)
            || CryptoPwhashStrNeedsRehash(encoded, iterations, memoryBytes) != 0;
    }

    private static void EnsureAvailable()
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException("libsodium could not be loaded, so Argon2id password hashes can be neither made nor verified. Install libsodium (Debian: libsodium23).");
        }
    }

    // libsodium reads the hash as a NUL-terminated C string: anything that does not fit, or that holds a byte
    // outside printable ASCII (including NUL), cannot be one of its encodings.
    private static bool TryEncodeCString(string value, Span<byte> destination)
    {
        if (value.Length >= destination.Length)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] is < '!' or > '~')
            {
                return false;
            }

            destination[i] = (byte)value[i];
        }

        destination[value.Length] = 0;
        return true;
    }

    private static bool Initialize()
    {
        // An event rather than NativeLibrary.SetDllImportResolver: an assembly can have only one resolver, and
        // another part of Bastion may need it. The event runs only after the runtime's own probing failed.
        var context = AssemblyLoadContext.GetLoadContext(typeof(Libsodium).Assembly) ?? AssemblyLoadContext.Default;
        context.ResolvingUnmanagedDll += ResolveVersionedName;
        try
        {
            // 0: initialised now, 1: already initialised, -1: failure.
            return SodiumInit() >= 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static IntPtr ResolveVersionedName(Assembly assembly, string libraryName)
    {
        if (assembly != typeof(Libsodium).Assembly || libraryName != LibraryName)
        {
            return IntPtr.Zero;
        }

        foreach (var name in VersionedNames)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    [LibraryImport(LibraryName, EntryPoint = "sodium_init")]
    private static partial int SodiumInit();

    [LibraryImport(LibraryName, EntryPoint = "crypto_pwhash_str_alg")]
    private static partial int CryptoPwhashStrAlg(
        Span<byte> output, ReadOnlySpan<byte> password, ulong passwordLength, ulong opsLimit, nuint memLimit, int algorithm);

    [LibraryImport(LibraryName, EntryPoint = "crypto_pwhash_str_verify")]
    private static partial int CryptoPwhashStrVerify(ReadOnlySpan<byte> encodedHash, ReadOnlySpan<byte> password, ulong passwordLength);

    [LibraryImport(LibraryName, EntryPoint = "crypto_pwhash_str_needs_rehash")]
    private static partial int CryptoPwhashStrNeedsRehash(ReadOnlySpan<byte> encodedHash, ulong opsLimit, nuint memLimit);
}
