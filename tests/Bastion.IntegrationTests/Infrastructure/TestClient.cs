using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bastion.IntegrationTests.Infrastructure;

/// <summary>One browser-like client: its own cookie jar, no automatic redirects.</summary>
internal sealed partial class TestClient : IDisposable
{
    public const string StrongPassword = "Corr3ct-Horse-Battery!";

    private readonly SocketsHttpHandler _handler;

    /// <param name="address">The server.</param>
    /// <param name="from">
    /// The loopback address the client connects from (the whole of 127.0.0.0/8 is the loopback interface on Linux),
    /// so the server sees another peer address than 127.0.0.1; null lets the system choose.
    /// </param>
    public TestClient(Uri address, IPAddress? from = null)
    {
        _handler = new SocketsHttpHandler
        {
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = false,
            // The test server uses a throw-away self-signed certificate for its HTTPS runs.
#pragma warning disable CA5359
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
        };
        if (from is not null)
        {
            _handler.ConnectCallback = (context, cancellationToken) => ConnectFromAsync(from, context.DnsEndPoint, cancellationToken);
        }

        Http = new HttpClient(_handler) { BaseAddress = address };
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies => _handler.CookieContainer;

    public Cookie? Cookie(string name) => Cookies.GetAllCookies().FirstOrDefault(c => c.Name == name);

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) => Http.PostAsJsonAsync(path, body);

    public Task<HttpResponseMessage> PostRawJsonAsync(string path, string json)
        => Http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public async Task<JsonElement> RegisterAsync(string email, string password = StrongPassword, string fullName = "Test User", HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await PostJsonAsync("/api/auth/register", new { email, password, fullName });
        return await ExpectAsync(response, expected);
    }

    /// <summary>Signs in through the JSON API into a cookie session, like a browser script.</summary>
    public async Task<JsonElement> LoginAsync(string email, string password = StrongPassword, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await PostJsonAsync("/api/auth/login", new { email, password, useCookie = true });
        return await ExpectAsync(response, expected);
    }

    /// <summary>Signs in through the JSON API for a token pair, like an API client.</summary>
    public async Task<JsonElement> LoginForTokensAsync(string email, string password = StrongPassword)
        => await ExpectAsync(await PostJsonAsync("/api/auth/login", new { email, password }), HttpStatusCode.OK);

    /// <summary>Sends <paramref name="accessToken"/> as the bearer token on every later request.</summary>
    public void UseBearer(string accessToken)
        => Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);

    /// <summary>Registers a fresh account and signs in; returns its e-mail.</summary>
    public async Task<string> SignUpAndLoginAsync(string? email = null)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        await RegisterAsync(email);
        await LoginAsync(email);
        return email;
    }

    /// <summary>Fetches a CSRF token for this client's session and sends it on every later request.</summary>
    public async Task<string> UseCsrfTokenAsync()
    {
        var body = await ExpectAsync(await Http.GetAsync("/api/auth/csrf"), HttpStatusCode.OK);
        var token = body.GetProperty("token").GetString()!;
        Http.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        Http.DefaultRequestHeaders.Add("X-CSRF-TOKEN", token);
        return token;
    }

    /// <summary>GETs a page and returns its form's antiforgery token.</summary>
    public async Task<string> GetFormTokenAsync(string path)
    {
        var html = await (await Http.GetAsync(path)).Content.ReadAsStringAsync();
        return FormToken().Match(html).Groups[1].Value;
    }

    public Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> fields)
        => Http.PostAsync(path, new FormUrlEncodedContent(fields));

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer with the given status and stable code.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await ExpectAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, body.GetProperty("code").GetString());
        return body;
    }

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress from, DnsEndPoint server, CancellationToken cancellationToken)
    {
        var socket = new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(server, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
