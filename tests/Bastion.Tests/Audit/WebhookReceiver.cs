using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bastion.Tests.Audit;

/// <summary>
/// A real HTTP endpoint on loopback (Kestrel) that records every POST it receives and answers with the status
/// codes it was given, one per request (the last one repeats), optionally after a delay.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _statuses;
    private readonly int _lastStatus;
    private readonly TimeSpan _delay;

    private WebhookReceiver(WebApplication app, int[] statuses, TimeSpan delay)
    {
        _app = app;
        _statuses = new ConcurrentQueue<int>(statuses);
        _lastStatus = statuses[^1];
        _delay = delay;
    }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync(TimeSpan delay = default, params int[] statuses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, statuses.Length == 0 ? [200] : statuses, delay);
        app.MapPost("/alerts", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.First() + "/alerts");
        return receiver;
    }

    /// <summary>Waits until <paramref name="count"/> requests have arrived, or fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (Received.Count < count)
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Received.Enqueue(new ReceivedWebhook(headers, body.ToArray(), DateTimeOffset.UtcNow));
        if (_delay > TimeSpan.Zero)
        {
            await Task.Delay(_delay, context.RequestAborted);
        }

        return Results.StatusCode(_statuses.TryDequeue(out var status) ? status : _lastStatus);
    }
}

internal sealed record ReceivedWebhook(IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At);
