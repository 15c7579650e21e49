using System.Net.Http.Json;
using System.Text.Json;

namespace Bastion.FaultTests.Cluster;

/// <summary>maildev, the SMTP catcher both nodes send to, read through its REST API (<c>GET /email</c>).</summary>
internal sealed class MailCatcher(FaultEnvironment environment) : IDisposable
{
    private readonly HttpClient _api = new() { BaseAddress = new Uri($"http://127.0.0.1:{environment.MailWebPort}/"), Timeout = TimeSpan.FromSeconds(30) };

    public int SmtpPort => environment.SmtpPort;

    /// <summary>How many messages whose subject contains <paramref name="subject"/> each recipient received.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountBySubjectAsync(string subject)
    {
        using var document = await _api.GetFromJsonAsync<JsonDocument>("email");
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var message in document!.RootElement.EnumerateArray())
        {
            if (!(message.GetProperty("subject").GetString() ?? string.Empty).Contains(subject, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var to in message.GetProperty("to").EnumerateArray())
            {
                var address = to.GetProperty("address").GetString()!;
                counts[address] = counts.GetValueOrDefault(address) + 1;
            }
        }

        return counts;
    }

    public void Dispose() => _api.Dispose();
}
