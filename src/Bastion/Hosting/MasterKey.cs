using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Hosting;

/// <summary>
/// The master key, from configuration or (development only) a random key created once in the data directory,
/// readable by the owner alone. Subkeys per purpose are derived with HKDF (RFC 5869) so no two uses share a key.
/// </summary>
public sealed class MasterKey
{
    private readonly byte[] _key;

    public MasterKey(IOptions<SecretsOptions> secrets, IOptions<BastionOptions> bastion, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(bastion);
        ArgumentNullException.ThrowIfNull(environment);
        var configured = secrets.Value.MasterKey;
        _key = configured is not null
            ? Convert.FromBase64String(configured)
            : LoadOrCreateDevelopmentKey(Path.Combine(bastion.Value.DataDirectory, "master.key"));
    }

    /// <summary>A 256-bit key for one purpose.</summary>
    public byte[] Derive(string purpose)
        => HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, salt: [], info: System.Text.Encoding.UTF8.GetBytes("bastion:" + purpose));

    private static byte[] LoadOrCreateDevelopmentKey(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
            writer.Write(Convert.ToBase64String(key));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; use theirs.
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        return key;
    }
}
