using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Bastion.IntegrationTests.Tokens;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bastion.IntegrationTests.Hosting;

/// <summary>
/// SIGTERM stops a node the way a supervisor expects: it stops accepting, finishes the requests it accepted, writes
/// their audit entries and exits 0; no request answered 2xx is missing its audit entry.
/// </summary>
public sealed class GracefulShutdownTests
{
    private const int ReceivedRequests = 6;

    [Fact]
    public async Task Sigterm_UnderAuditedWrites_FinishesAcceptedRequestsAndKeepsEveryAuditEntry()
    {
        await using var storage = await TestStorage.CreateAsync();
        var settings = storage.Settings.Concat(Actors.BootstrapSettings).ToDictionary();
        settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";

        // Every audited write then waits up to a second for its batch: long enough to be in flight at the signal.
        settings["Bastion:Audit:BatchWindow"] = "00:00:01";
        await using var server = await ServerProcess.StartAsync(settings);
        using var admin = server.CreateClient();
        admin.UseBearer(JwtParts.Text(await admin.LoginForTokensAsync(Actors.RootEmail, Actors.RootPassword), "access_token"));

        // Audited writes that keep coming until after the signal.
        var answered = new ConcurrentBag<HttpResponseMessage>();
        using var stopLoad = new CancellationTokenSource();
        var load = Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stopLoad.IsCancellationRequested; i++)
            {
                try
                {
                    answered.Add(await admin.Http.PostAsJsonAsync("/api/equipment", Equipment($"load-{worker}-{i}")));
                }
                catch (HttpRequestException)
                {
                    // Sent after the server stopped listening: refused, which a client retries on another node.
                    await Task.Delay(50);
                }
            }
        })).ToList();
        await Task.Delay(300);

        // Writes the server has received and is handling when the signal comes, and writes whose bodies are still
        // on their way (held back until the server has stopped listening).
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var uploading = Enumerable.Range(0, 3)
            .Select(i => admin.Http.PostAsync("/api/equipment?phase=uploading", new GatedContent(JsonSerializer.Serialize(Equipment($"uploading-{i}")), gate.Task)))
            .ToList();
        var received = Enumerable.Range(0, ReceivedRequests).Select(i => admin.Http.PostAsJsonAsync("/api/equipment?phase=received", Equipment($"received-{i}"))).ToList();
        await WaitUntilAsync(() => Started(server, "phase=uploading") >= uploading.Count && Started(server, "phase=received") >= ReceivedRequests, server, "the requests to start");

        var pendingAtSignal = received.Count(request => !request.IsCompleted);
        await server.TerminateAsync();
        await WaitUntilAsync(() => !Listening(server.Address.Port), server, "the server to stop accepting connections");
        gate.SetResult();
        var receivedAnswers = await Task.WhenAll(received);
        var uploadingAnswers = await Task.WhenAll(uploading);
        await Task.Delay(300);
        await stopLoad.CancelAsync();
        await Task.WhenAll(load);
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.True(pendingAtSignal > 0, "Every request had finished before the signal; the test proved nothing.");
        Assert.All(receivedAnswers, answer => Assert.Equal(HttpStatusCode.Created, answer.StatusCode));

        // Kestrel cancels a body read that is waiting for data when it stops: such a request is refused with 503
        // (retry elsewhere), never reset and never 500.
        Assert.All(uploadingAnswers, answer => Assert.Contains(answer.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        Assert.Equal(0, exitCode);
        var all = receivedAnswers.Concat(uploadingAnswers).Concat(answered).ToList();
        Assert.DoesNotContain(all, answer => (int)answer.StatusCode >= 500 && answer.StatusCode != HttpStatusCode.ServiceUnavailable);
        var audited = await AuditedRequestIdsAsync(storage);
        var successful = all.Where(answer => answer.IsSuccessStatusCode).Select(answer => answer.Headers.GetValues("X-Request-Id").Single()).ToList();
        Assert.All(successful, requestId => Assert.Contains(requestId, audited));
    }

    private static int Started(ServerProcess server, string marker)
        => server.Output.Count(line => line.Contains("Request starting", StringComparison.Ordinal) && line.Contains(marker, StringComparison.Ordinal));

    private static object Equipment(string name) => new { name, serialNumber = "SN-" + Guid.NewGuid().ToString("N").ToUpperInvariant(), cost = 5m };

    private static bool Listening(int port)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, ServerProcess server, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}:\n" + string.Join('\n', server.Output.TakeLast(30)));
            await Task.Delay(20);
        }
    }

    private static async Task<HashSet<string>> AuditedRequestIdsAsync(TestStorage storage)
    {
        DbConnection connection = TestEnvironment.UsePostgres
            ? new NpgsqlConnection(storage.Settings["Bastion:Database:ConnectionString"])
            : new SqliteConnection($"Data Source={Path.Combine(storage.Directory, "bastion.db")};Pooling=False");
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT request_id FROM audit_log WHERE request_id IS NOT NULL";
            var ids = new HashSet<string>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }
    }
}
