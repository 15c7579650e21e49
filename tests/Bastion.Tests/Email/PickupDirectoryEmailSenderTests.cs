using Bastion.Email;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Email;

public sealed class PickupDirectoryEmailSenderTests(SmtpCatcher catcher) : IClassFixture<SmtpCatcher>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bastion-pickup-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Send_WritesAnEmlFileThatAMailParserReads()
    {
        var directory = Path.Combine(_root, "outbox");
        var to = EmailTestOptions.UniqueRecipient();
        var templates = new EmailTemplates(Options.Create(EmailTestOptions.Create()));

        await Sender(directory).SendAsync(templates.SignInCode(to, "<b>Bob</b>", "12345678", TimeSpan.FromMinutes(10)));

        var file = Assert.Single(Directory.GetFiles(directory));
        Assert.EndsWith(".eml", file, StringComparison.Ordinal);
        await catcher.SubmitRawAsync(await File.ReadAllTextAsync(file), to);
        var parsed = await catcher.WaitForEmailToAsync(to);
        Assert.Equal("Your Bastion sign-in code", parsed.Subject);
        Assert.Equal([EmailTestOptions.From], parsed.From);
        Assert.Contains("Your sign-in code is: 12345678", parsed.Text, StringComparison.Ordinal);
        Assert.Contains(">12345678</p>", parsed.Html, StringComparison.Ordinal);
        Assert.Contains("Hello &lt;b&gt;Bob&lt;/b&gt;,", parsed.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_CreatesTheDirectoryForTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var directory = Path.Combine(_root, "nested", "outbox");

        await Sender(directory).SendAsync(new EmailMessage(EmailTestOptions.UniqueRecipient(), "Hi", "body"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
    }

    [Fact]
    public async Task Send_TwoMessages_WritesTwoFilesWithRandomNames()
    {
        var directory = Path.Combine(_root, "outbox");
        var sender = Sender(directory);

        await sender.SendAsync(new EmailMessage(EmailTestOptions.UniqueRecipient(), "One", "body"));
        await sender.SendAsync(new EmailMessage(EmailTestOptions.UniqueRecipient(), "Two", "body"));

        var names = Directory.GetFiles(directory).Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(2, names.Count);
        Assert.All(names, name => Assert.True(Guid.TryParse(name, out _), name));
    }

    private static PickupDirectoryEmailSender Sender(string directory)
        => new(Options.Create(EmailTestOptions.Create(o => o.PickupDirectory = directory)));
}
