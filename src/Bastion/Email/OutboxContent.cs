using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bastion.Hosting;

namespace Bastion.Email;

/// <summary>
/// Seals what a queued message says (subject, bodies, the recipient's name) for the <c>email_outbox</c> table with
/// <see cref="SecretBox"/> (AES-256-GCM under a subkey of the master key): the bodies carry reset links,
/// verification links and sign-in codes, and a copy of the database must not (ASVS 5.0 V14.2.4, sensitive data at
/// rest). The recipient is sealed too and compared with the row's plain column when the row is opened, so a row
/// whose address was changed in the table is refused rather than mailed to the new address.
/// </summary>
internal sealed class OutboxContent(SecretBox box)
{
    internal const string Purpose = "email-outbox";

    public byte[] Seal(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var content = new SealedEmail(message.To, message.ToName, message.Subject, message.TextBody, message.HtmlBody);
        return box.Encrypt(JsonSerializer.SerializeToUtf8Bytes(content, OutboxJsonContext.Default.SealedEmail), Purpose);
    }

    /// <exception cref="CryptographicException">The content was altered, sealed under another master key, or names another recipient.</exception>
    public EmailMessage Open(OutboxClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var content = JsonSerializer.Deserialize(box.Decrypt(claim.Content, Purpose), OutboxJsonContext.Default.SealedEmail)
            ?? throw new CryptographicException("The sealed message is empty.");
        if (!string.Equals(content.To, claim.Recipient, StringComparison.Ordinal))
        {
            throw new CryptographicException("The sealed message names another recipient than its row.");
        }

        return new EmailMessage(content.To, content.Subject, content.Text, content.Html) { ToName = content.ToName, Category = claim.Category };
    }
}

/// <summary>The sealed part of an outbox row.</summary>
internal sealed record SealedEmail(string To, string? ToName, string Subject, string Text, string? Html);

[JsonSerializable(typeof(SealedEmail))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class OutboxJsonContext : JsonSerializerContext;
