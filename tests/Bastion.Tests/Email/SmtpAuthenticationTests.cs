using System.Net.Mail;
using Bastion.Email;
using Microsoft.Extensions.Logging;

namespace Bastion.Tests.Email;

/// <summary>SMTP authentication against maildev started with --incoming-user/--incoming-pass.</summary>
public sealed class SmtpAuthenticationTests(AuthenticatingSmtpCatcher catcher) : IClassFixture<AuthenticatingSmtpCatcher>
{
    [Fact]
    public async Task Send_WithRightCredentials_IsAccepted()
    {
        var to = EmailTestOptions.UniqueRecipient();
        var sender = new SmtpEmailSender(Options(AuthenticatingSmtpCatcher.Password));

        await sender.SendAsync(new EmailMessage(to, "Authenticated", "body"));

        Assert.Equal("Authenticated", (await catcher.WaitForEmailToAsync(to)).Subject);
    }

    [Fact]
    public async Task Send_WithWrongPassword_IsRefusedAsPermanent()
    {
        var sender = new SmtpEmailSender(Options("wrong-password"));

        var failure = await Assert.ThrowsAsync<SmtpException>(() => sender.SendAsync(new EmailMessage(EmailTestOptions.UniqueRecipient(), "Nope", "body")));

        Assert.False(EmailFailures.IsTransient(failure));
    }

    [Fact]
    public async Task Outbox_WithWrongPassword_LogsOneErrorAndNeverThrowsToTheCaller()
    {
        var to = EmailTestOptions.UniqueRecipient("victim");
        var options = Options("wrong-password");
        var logger = new CollectingLogger<EmailOutboxWorker>();
        await using var outbox = await TestOutbox.CreateAsync(new SmtpEmailSender(options), options, logger);

        await outbox.EnqueueAsync(new EmailMessage(to, "Reset", "token=secret-token-value") { Category = "password_reset" });
        await outbox.DrainAsync();

        var failed = Assert.Single(logger.Entries, e => e.EventName == "EmailFailed");
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Contains("password_reset", failed.Message, StringComparison.Ordinal);
        Assert.Contains("after 1 attempt", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Entries, e => e.EventName == "EmailRetrying");
        Assert.All(logger.Entries, e => Assert.DoesNotContain(to, e.Message, StringComparison.OrdinalIgnoreCase));
        Assert.All(logger.Entries, e => Assert.DoesNotContain("wrong-password", e.Message, StringComparison.Ordinal));
        Assert.Empty(await catcher.EmailsToAsync(to));
    }

    [Fact]
    public async Task Send_WithoutCredentials_IsRefused()
    {
        var sender = new SmtpEmailSender(EmailTestOptions.PlainSmtp(catcher.Host, catcher.SmtpPort));

        await Assert.ThrowsAsync<SmtpException>(() => sender.SendAsync(new EmailMessage(EmailTestOptions.UniqueRecipient(), "Anonymous", "body")));
    }

    private Microsoft.Extensions.Options.IOptions<EmailOptions> Options(string password)
        => EmailTestOptions.PlainSmtp(catcher.Host, catcher.SmtpPort, o =>
        {
            o.Smtp.UserName = AuthenticatingSmtpCatcher.UserName;
            o.Smtp.Password = password;
        });
}
