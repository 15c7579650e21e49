using System.Net.Mail;
using System.Net.Sockets;
using Bastion.Email;

namespace Bastion.Tests.Email;

public sealed class EmailLogRedactionTests
{
    [Theory]
    [InlineData("alice@example.com", "a***@example.com")]
    [InlineData("x@example.org", "x***@example.org")]
    [InlineData("no-at-sign", "***")]
    public void MaskAddress_KeepsTheFirstCharacterAndTheDomain(string address, string expected)
        => Assert.Equal(expected, EmailLogRedaction.MaskAddress(address));

    [Fact]
    public void Describe_NamesEachExceptionAndMasksAddressesInMessages()
    {
        var exception = new SmtpFailedRecipientException(SmtpStatusCode.MailboxUnavailable, "<bob.jones@example.com>", "5.1.1 <bob.jones@example.com> unknown user");

        var text = EmailLogRedaction.Describe(exception);

        Assert.StartsWith("SmtpFailedRecipientException (MailboxUnavailable): ", text, StringComparison.Ordinal);
        Assert.Contains("b***@example.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bob.jones", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_IncludesInnerExceptions()
    {
        var exception = new SmtpException("Failure sending mail.", new IOException("Unable to read", new SocketException((int)SocketError.ConnectionRefused)));

        var text = EmailLogRedaction.Describe(exception);

        Assert.Contains("SmtpException (GeneralFailure): Failure sending mail. ---> IOException: Unable to read ---> SocketException", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SmtpStatusCode.ServiceNotAvailable, true)]
    [InlineData(SmtpStatusCode.MailboxBusy, true)]
    [InlineData(SmtpStatusCode.GeneralFailure, true)]
    [InlineData(SmtpStatusCode.MailboxUnavailable, false)]
    [InlineData((SmtpStatusCode)535, false)]
    public void IsTransient_FollowsTheReplyClass(SmtpStatusCode status, bool transient)
        => Assert.Equal(transient, EmailFailures.IsTransient(new SmtpException(status)));
}
