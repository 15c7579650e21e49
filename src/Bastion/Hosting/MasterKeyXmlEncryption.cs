using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Bastion.Hosting;

/// <summary>
/// Encrypts data-protection keys before they are written to the shared database, so a database dump does not
/// yield the keys that protect antiforgery tokens and everything else the framework protects.
/// </summary>
internal sealed class MasterKeyXmlEncryptor(SecretBox box) : IXmlEncryptor
{
    internal const string Purpose = "data-protection-key-ring";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with the Bastion master key (AES-256-GCM). "),
            new XElement("value", Convert.ToBase64String(box.Encrypt(plaintext, Purpose))));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}

/// <summary>The counterpart of <see cref="MasterKeyXmlEncryptor"/>; the framework creates it with the service provider.</summary>
internal sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var sealedValue = Convert.FromBase64String((string)encryptedElement.Element("value")!);
        var plaintext = services.GetRequiredService<SecretBox>().Decrypt(sealedValue, MasterKeyXmlEncryptor.Purpose);
        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
    }
}
