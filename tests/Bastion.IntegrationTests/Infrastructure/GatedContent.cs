using System.Net;

namespace Bastion.IntegrationTests.Infrastructure;

/// <summary>
/// A JSON body sent in two parts: the first half at once, the rest only when <c>gate</c> completes. The server
/// has then accepted the request and is reading it, so the request is in flight for as long as the test wants.
/// </summary>
internal sealed class GatedContent : HttpContent
{
    private readonly byte[] _body;
    private readonly Task _gate;

    public GatedContent(string json, Task gate)
    {
        _body = System.Text.Encoding.UTF8.GetBytes(json);
        _gate = gate;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var half = _body.Length / 2;
        await stream.WriteAsync(_body.AsMemory(0, half));
        await stream.FlushAsync();
        await _gate;
        await stream.WriteAsync(_body.AsMemory(half));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}
