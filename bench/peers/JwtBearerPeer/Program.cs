using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;

// The peer of Bastion's bearer authentication in bench/run.sh: ASP.NET Core's own JwtBearer handler validating the
// load host's access tokens (RS256, typ at+jwt, issuer "bastion", audience "bastion-api", lifetime with 30 s of
// skew, key chosen by kid) with the public keys fetched once from the load host's JWKS (<Peer:Jwks>). It serves
// GET /bench/whoami to authenticated callers only; nothing else is in its pipeline, and it has no revocation list.
// Kestrel on 127.0.0.1:<Peer:Port>; prints "READY <url>" once it listens.
var builder = WebApplication.CreateBuilder(args);
var url = $"http://127.0.0.1:{builder.Configuration.GetValue("Peer:Port", 5092)}";
builder.WebHost.UseUrls(url);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var jwks = builder.Configuration["Peer:Jwks"] ?? throw new InvalidOperationException("Set Peer:Jwks to the load host's /.well-known/jwks.json.");
var keys = await FetchSigningKeysAsync(new Uri(jwks));
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
{
    // Claims keep their JWT names, as in Bastion's validator (no mapping to the long WS-* claim types).
    options.MapInboundClaims = false;
    options.TokenValidationParameters = new TokenValidationParameters
    {
        ValidIssuer = "bastion",
        ValidAudience = "bastion-api",
        ValidTypes = ["at+jwt"],
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
        IssuerSigningKeys = keys,
        TryAllIssuerSigningKeys = false,
        ClockSkew = TimeSpan.FromSeconds(30),
    };
});
builder.Services.AddAuthorization();
// Authentication brings data protection along; the peer protects nothing, so its keys stay in memory.
builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/bench/whoami", () => TypedResults.Text("""{"ok":true}""", "application/json")).RequireAuthorization();

await app.StartAsync();
Console.WriteLine($"READY {url}");
await app.WaitForShutdownAsync();

static async Task<IList<SecurityKey>> FetchSigningKeysAsync(Uri jwks)
{
    using var client = new HttpClient();
    using var request = new HttpRequestMessage(HttpMethod.Get, jwks);
    // The load host runs in production behind a pretend TLS-terminating proxy, as the benchmark requests say.
    request.Headers.Add("X-Forwarded-Proto", "https");
    using var response = await client.SendAsync(request);
    response.EnsureSuccessStatusCode();
    return new JsonWebKeySet(await response.Content.ReadAsStringAsync()).GetSigningKeys();
}
