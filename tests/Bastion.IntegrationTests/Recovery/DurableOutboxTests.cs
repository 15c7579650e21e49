using System.Data.Common;
using System.Globalization;
using System.Text;
using Bastion.Tests.Email;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bastion.IntegrationTests.Recovery;

/// <summary>
/// The e-mail outbox across crashes: the real server as a process, killed (SIGKILL) while its mail is queued or
/// being sent, and started again; mail goes over SMTP to a real catcher. Runs on SQLite and on PostgreSQL.
/// </summary>
public sealed class DurableOutboxTests(SmtpCatcher catcher) : IClassFixture<SmtpCatcher>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task QueuedMail_ServerKilledWhileTheMailServerIsDown_IsSentAfterTheRestart()
    {
        await using var storage = await TestStorage.CreateAsync();
        var email = NewEmail();
        await using (var server = await ServerProcess.StartAsync(Settings(storage, SmtpFixtureProcess.FreePort())))
        {
            using var client = server.CreateClient();
            await client.RegisterAsync(email);
            await WaitForRowAsync(storage, email, r => r is { Attempts: >= 1 });
        }

        var row = Assert.Single(await RowsAsync(storage), r => r.Recipient == email);
        Assert.Null(row.FailedAt);
        await using var restarted = await ServerProcess.StartAsync(Settings(storage, catcher.SmtpPort));

        var mail = await WaitForMailAsync(email);
        Assert.Contains("/verify-email?token=", mail.Text, StringComparison.Ordinal);
        await WaitForRowAsync(storage, email, r => r is null);
    }

    [Fact]
    public async Task MailBeingSent_ServerKilledMidSend_IsSentAtLeastOnceAfterTheLeaseEnds()
    {
        await using var storage = await TestStorage.CreateAsync();
        await using var silent = new SilentSmtpServer();
        var email = NewEmail();
        await using (var server = await ServerProcess.StartAsync(Settings(storage, silent.Port)))
        {
            using var client = server.CreateClient();
            await client.RegisterAsync(email);
            await silent.Connected.WaitAsync(Patience);
        }

        Assert.NotNull(Assert.Single(await RowsAsync(storage), r => r.Recipient == email).LockedUntil);
        await using var restarted = await ServerProcess.StartAsync(Settings(storage, catcher.SmtpPort));

        await WaitForMailAsync(email);
        await WaitForRowAsync(storage, email, r => r is null);
    }

    [Fact]
    public async Task QueuedMail_InTheTable_HoldsNoReadableLinkSubjectOrName()
    {
        await using var storage = await TestStorage.CreateAsync();
        var email = NewEmail();
        await using var server = await ServerProcess.StartAsync(Settings(storage, SmtpFixtureProcess.FreePort()));
        using var client = server.CreateClient();

        await client.RegisterAsync(email, fullName: "Readable Name");

        var row = await WaitForRowAsync(storage, email, r => r is not null);
        Assert.Equal("email_verification", row!.Category);
        var stored = Encoding.UTF8.GetString(row.Content) + Convert.ToHexString(row.Content);
        Assert.DoesNotContain("token=", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("Confirm your", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("Readable", stored, StringComparison.Ordinal);
    }

    [ProductionStorageFact]
    public async Task TwoNodes_ShareTheOutbox_AndSendEachMessageOnce()
    {
        await using var storage = await TestStorage.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Bastion:Email:Smtp:Host"] = catcher.Host,
            ["Bastion:Email:Smtp:Port"] = catcher.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Bastion:Email:Smtp:UseStartTls"] = "false",
            ["Bastion:Email:PollInterval"] = "00:00:00.200",
        };
        await using var nodeA = await TestHost.StartAsync(settings, storage);
        await using var nodeB = await TestHost.StartAsync(settings, storage);
        var emails = Enumerable.Range(0, 24).Select(_ => NewEmail()).ToList();

        await Task.WhenAll(emails.Select(async (email, i) =>
        {
            using var client = (i % 2 == 0 ? nodeA : nodeB).CreateClient();
            await client.RegisterAsync(email);
        }));

        foreach (var email in emails)
        {
            await WaitForMailAsync(email);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var email in emails)
        {
            Assert.Single(await catcher.EmailsToAsync(email));
        }

        Assert.Empty(await RowsAsync(storage));
    }

    /// <summary>A node whose mail goes to <paramref name="smtpPort"/> on loopback, failing fast and retrying soon.</summary>
    private static Dictionary<string, string?> Settings(TestStorage storage, int smtpPort)
    {
        var settings = new Dictionary<string, string?>(storage.Settings)
        {
            ["Bastion:Email:Smtp:Host"] = "127.0.0.1",
            ["Bastion:Email:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Bastion:Email:Smtp:UseStartTls"] = "false",
            ["Bastion:Email:Smtp:Timeout"] = "00:00:05",
            ["Bastion:Email:LeaseDuration"] = "00:00:10",
            ["Bastion:Email:RetryDelay"] = "00:00:01",
            ["Bastion:Email:Retries"] = "10",
            ["Bastion:Email:PollInterval"] = "00:00:00.500",
        };
        return settings;
    }

    private static string NewEmail() => $"outbox-{Guid.NewGuid():N}@example.com";

    private async Task<CaughtEmail> WaitForMailAsync(string email)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await catcher.EmailsToAsync(email) is [var mail, ..])
            {
                return mail;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No mail reached {email}.");
            await Task.Delay(100);
        }
    }

    private static async Task<OutboxRow?> WaitForRowAsync(TestStorage storage, string email, Func<OutboxRow?, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var row = (await RowsAsync(storage)).FirstOrDefault(r => r.Recipient == email);
            if (condition(row))
            {
                return row;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The outbox row for {email} did not reach the expected state.");
            await Task.Delay(100);
        }
    }

    private static async Task<List<OutboxRow>> RowsAsync(TestStorage storage)
    {
        await using DbConnection connection = TestEnvironment.UsePostgres
            ? new NpgsqlConnection(storage.Settings["Bastion:Database:ConnectionString"])
            : new SqliteConnection($"Data Source={Path.Combine(storage.Directory, "bastion.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT recipient, category, content, attempts, locked_until, failed_at FROM email_outbox";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new OutboxRow(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetValue(4), reader.IsDBNull(5) ? null : reader.GetValue(5)));
        }

        return rows;
    }

    private sealed record OutboxRow(string Recipient, string Category, byte[] Content, int Attempts, object? LockedUntil, object? FailedAt);
}
