using Bastion.Email;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Email;

public sealed class EmailTemplatesTests
{
    private const string Markup = "\"><script>alert(1)</script>";
    private readonly EmailTemplates _templates = new(Options.Create(EmailTestOptions.Create(o => o.PublicBaseUrl = new Uri("https://bastion.example.com/app/"))));

    [Fact]
    public void PasswordReset_BuildsTheLinkFromThePublicBaseUrlWithTheTokenEscaped()
    {
        var message = _templates.PasswordReset("ann@example.com", "Ann", "a+b/c=", TimeSpan.FromMinutes(30));

        Assert.Equal(("ann@example.com", "Reset your Bastion password", "password_reset"), (message.To, message.Subject, message.Category));
        Assert.Contains("https://bastion.example.com/app/reset-password?token=a%2Bb%2Fc%3D", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("href=\"https://bastion.example.com/app/reset-password?token=a%2Bb%2Fc%3D\"", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("within 30 minutes", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void EmailVerification_LinksToTheVerifyPath()
    {
        var message = _templates.EmailVerification("ann@example.com", null, "tok", TimeSpan.FromHours(24));

        Assert.StartsWith("Hello,", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://bastion.example.com/app/verify-email?token=tok", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("within 24 hours", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryTemplate_EncodesMarkupInValuesInTheHtmlPart()
    {
        var details = new SecurityNoticeDetails(DateTimeOffset.UnixEpoch) { IpAddress = Markup, Device = Markup };
        var messages = new[]
        {
            _templates.PasswordReset("ann@example.com", Markup, Markup, TimeSpan.FromMinutes(30)),
            _templates.EmailVerification("ann@example.com", Markup, Markup, TimeSpan.FromMinutes(30)),
            _templates.SignInCode("ann@example.com", Markup, "123456", TimeSpan.FromMinutes(5)),
            _templates.SecurityNotice("ann@example.com", Markup, SecurityNoticeKind.NewSignIn, details),
        };

        Assert.All(messages, m =>
        {
            Assert.DoesNotContain(Markup, m.HtmlBody, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", m.HtmlBody, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&quot;&gt;&lt;script&gt;", m.HtmlBody, StringComparison.Ordinal);
            Assert.Contains(Markup, m.TextBody, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Values_WithLineBreaks_CannotAddLinesToTheTextOrHeaders()
    {
        var message = _templates.SecurityNotice("ann@example.com", "Ann\r\nBcc: x@example.com", SecurityNoticeKind.PasswordChanged, new SecurityNoticeDetails(DateTimeOffset.UnixEpoch));

        Assert.Contains("Hello Ann  Bcc: x@example.com,", message.TextBody, StringComparison.Ordinal);
        Assert.Equal("Ann  Bcc: x@example.com", message.ToName);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("123456789")]
    [InlineData("12a456")]
    [InlineData("١٢٣٤٥٦")]
    public void SignInCode_NotSixToEightDigits_IsRefused(string code)
        => Assert.Throws<ArgumentException>(() => _templates.SignInCode("ann@example.com", null, code, TimeSpan.FromMinutes(5)));

    [Fact]
    public void SignInCode_KeepsTheCodeOutOfTheSubject()
    {
        var message = _templates.SignInCode("ann@example.com", "Ann", "0246813", TimeSpan.FromMinutes(10));

        Assert.DoesNotContain("0246813", message.Subject, StringComparison.Ordinal);
        Assert.Contains("Your sign-in code is: 0246813", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("expires in 10 minutes", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://bastion.example.com/app/forgot-password", message.HtmlBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SecurityNoticeKind.PasswordChanged, "Your Bastion password was changed")]
    [InlineData(SecurityNoticeKind.NewSignIn, "New sign-in to your Bastion account")]
    [InlineData(SecurityNoticeKind.MfaEnabled, "Two-step verification was turned on for your Bastion account")]
    [InlineData(SecurityNoticeKind.EmailChanged, "The e-mail address of your Bastion account was changed")]
    [InlineData(SecurityNoticeKind.AccountDeleted, "Your Bastion account was deleted")]
    [InlineData(SecurityNoticeKind.MfaDisabled, "Two-step verification was turned off for your Bastion account")]
    public void SecurityNotice_SaysWhatHappenedWhenAndFromWhere(SecurityNoticeKind kind, string subject)
    {
        var at = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));
        var message = _templates.SecurityNotice("ann@example.com", "Ann", kind, new SecurityNoticeDetails(at) { IpAddress = "203.0.113.9", Device = "Firefox on Linux" });

        Assert.Equal(subject, message.Subject);
        Assert.Contains("When: 2025-03-04 03:06 UTC", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("From: 203.0.113.9", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Device: Firefox on Linux", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://bastion.example.com/app/account/security", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://bastion.example.com/app/forgot-password", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void SecurityNotice_LongDevice_IsShortened()
    {
        var message = _templates.SecurityNotice("ann@example.com", null, SecurityNoticeKind.NewSignIn, new SecurityNoticeDetails(DateTimeOffset.UnixEpoch) { Device = new string('x', 5000) });

        Assert.Contains(new string('x', 200) + "…", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 201), message.TextBody, StringComparison.Ordinal);
        Assert.Contains("From: unknown", message.TextBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5, "1 minute")]
    [InlineData(15, "15 minutes")]
    [InlineData(60, "1 hour")]
    [InlineData(90, "2 hours")]
    [InlineData(24 * 60, "24 hours")]
    [InlineData(3 * 24 * 60, "3 days")]
    public void Duration_IsRoundedUpInWords(double minutes, string expected)
        => Assert.Equal(expected, EmailTemplates.Duration(TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void EmailMessage_ToString_RevealsNeitherRecipientNorBody()
        => Assert.Equal("EmailMessage(password_reset)", _templates.PasswordReset("ann@example.com", null, "secret", TimeSpan.FromMinutes(1)).ToString());

    [Theory]
    [InlineData("ann@example.com\r\nBcc: x@example.com", "Hi")]
    [InlineData("Ann <ann@example.com>", "Hi")]
    [InlineData("ann@example.com", "Hi\r\nBcc: x@example.com")]
    public void EmailMessage_HeaderInjection_IsRefused(string to, string subject)
        => Assert.Throws<ArgumentException>(() => new EmailMessage(to, subject, "body"));
}
