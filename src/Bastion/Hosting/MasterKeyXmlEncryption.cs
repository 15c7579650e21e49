using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Bastion.Hosting;

/// <summary>
/// Encrypts data-protection keys before they are written to the shared database (AES-256-GCM under a subkey of
/// the master key), so a database dump does not yield the keys that protect cookies and antiforgery tokens.
/// </summary>
internal sealed class MasterKeyXmlEncryptor(MasterKey masterKey) : IXmlEncryptor
{
    internal const string Purpose = "data-protection-key-ring";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(masterKey.Derive(Purpose), tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with the Bastion master key (AES-256-GCM). "),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("value", Convert.ToBase64String(ciphertext)),
            new XElement("tag", Convert.ToBase64String(tag)));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}

/// <summary>The counterpart of <see cref="MasterKeyXmlEncryptor"/>; the framework creates it with the service provider.</summary>
internal sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var nonce = Convert.FromBase64String((string)encryptedElement.Element("nonce")!);
        var ciphertext = Convert.FromBase64String((string)encryptedElement.Element("value")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Element("tag")!);
        var plaintext = new byte[ciphertext.Length];
        var key = services.GetRequiredService<MasterKey>().Derive(MasterKeyXmlEncryptor.Purpose);
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext);
        }

        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
    }
}
