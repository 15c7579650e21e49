using System.Net.Mail;
using Bastion.Email;

namespace Bastion.Tests.Email;

/// <summary>The SMTP sender against a real SMTP server (maildev).</summary>
public sealed class SmtpEmailSenderTests(SmtpCatcher catcher) : IClassFixture<SmtpCatcher>
{
    [Fact]
    public async Task Send_ToRealServer_DeliversSubjectSenderRecipientAndBothParts()
    {
        var to = EmailTestOptions.UniqueRecipient();
        var sender = new SmtpEmailSender(EmailTestOptions.PlainSmtp(catcher.Host, catcher.SmtpPort, o => o.ProductName = "Bastion Test"));

        await sender.SendAsync(new EmailMessage(to, "Hello from Bastion", "Plain body", "<p>HTML body</p>") { ToName = "Ada Lovelace" });

        var email = await catcher.WaitForEmailToAsync(to);
        Assert.Equal("Hello from Bastion", email.Subject);
        Assert.Equal([EmailTestOptions.From], email.From);
        Assert.Equal("Bastion Test", email.FromName);
        Assert.Equal([to], email.To);
        Assert.Equal("Ada Lovelace", email.ToName);
        Assert.Equal("Plain body", email.Text?.TrimEnd());
        Assert.Equal("<p>HTML body</p>", email.Html?.TrimEnd());
        Assert.Equal("auto-generated", email.Headers["auto-submitted"]);
        Assert.Matches("^<[0-9a-f]{32}@bastion.test>$", email.Headers["message-id"]);
    }

    [Fact]
    public async Task Send_NonAsciiContent_ArrivesIntact()
    {
        var to = EmailTestOptions.UniqueRecipient();
        var sender = new SmtpEmailSender(EmailTestOptions.PlainSmtp(catcher.Host, catcher.SmtpPort));

        await sender.SendAsync(new EmailMessage(to, "Grüße – ½ €", "Zoë Ångström: ✓", "<p>Zoë ✓</p>") { ToName = "Zoë Ångström" });

        var email = await catcher.WaitForEmailToAsync(to);
        Assert.Equal(("Grüße – ½ €", "Zoë Ångström: ✓", "Zoë Ångström"), (email.Subject, email.Text?.TrimEnd(), email.ToName));
    }

    [Fact]
    public async Task Send_TemplateWithMarkupInName_ArrivesEncodedInHtmlPart()
    {
        var to = EmailTestOptions.UniqueRecipient();
        var options = EmailTestOptions.PlainSmtp(catcher.Host, catcher.SmtpPort);
        var templates = new EmailTemplates(options);
        const string name = "<script>alert('x')</script><img src=x onerror=alert(1)>";

        await new SmtpEmailSender(options).SendAsync(templates.PasswordReset(to, name, "tok-123", TimeSpan.FromMinutes(30)));

        var email = await catcher.WaitForEmailToAsync(to);
        Assert.DoesNotContain("<script", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", email.Html, StringComparison.Ordinal);
        Assert.Contains($"Hello {name},", email.Text, StringComparison.Ordinal);
        Assert.Contains("https://bastion.example.com/reset-password?token=tok-123", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_WithStartTlsToServerWithoutIt_FailsRatherThanSendingInClear()
    {
        var to = EmailTestOptions.UniqueRecipient();
        var sender = new SmtpEmailSender(EmailTestOptions.PlainSmtp(catcher.Host, catcher.SmtpPort, o => o.Smtp.UseStartTls = true));

        var failure = await Assert.ThrowsAsync<SmtpException>(() => sender.SendAsync(new EmailMessage(to, "Secret", "reset link")));

        Assert.Contains("secure", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await catcher.EmailsToAsync(to));
    }

    [Fact]
    public async Task Outbox_ToRealServer_DeliversEachMessageOnce()
    {
        var recipients = Enumerable.Range(0, 5).Select(i => EmailTestOptions.UniqueRecipient($"batch{i}")).ToList();
        var options = EmailTestOptions.PlainSmtp(catcher.Host, catcher.SmtpPort);
        await using var outbox = await TestOutbox.CreateAsync(new SmtpEmailSender(options), options, new CollectingLogger<EmailOutboxWorker>());

        foreach (var to in recipients)
        {
            await outbox.EnqueueAsync(new EmailMessage(to, "Batch", "body"));
        }

        await outbox.DrainAsync();

        foreach (var to in recipients)
        {
            Assert.Single(await catcher.EmailsToAsync(to));
        }
    }
}
