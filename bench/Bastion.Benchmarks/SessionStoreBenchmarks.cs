using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Bastion.Hosting;
using Bastion.Sessions;
using Bastion.State;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace Bastion.Benchmarks;

/// <summary>
/// Session creation (what a sign-in adds after the password check) and validation (what every authenticated
/// request pays, record unsealing included) on the in-process state store.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "The store is disposed in [GlobalCleanup], BenchmarkDotNet's end of life for a benchmark instance.")]
public class SessionStoreBenchmarks
{
    private static readonly SessionClient Client = new("127.0.0.1", "bench");

    private MemoryStateStore _state = null!;
    private SessionStore _sessions = null!;
    private SessionPrincipalData _user = null!;
    private string _cookie = string.Empty;

    /// <summary>Live sessions the user already has: creating one lists them all to enforce the per-user cap.</summary>
    [Params(1, 20)]
    public int SessionsPerUser { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _state = new MemoryStateStore(TimeProvider.System);
        var masterKey = new MasterKey(
            Options.Create(new SecretsOptions { MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }),
            Options.Create(new BastionOptions()),
            new HostingEnvironment { EnvironmentName = Environments.Production });
        _sessions = new SessionStore(
            _state, Options.Create(new SessionOptions()), Options.Create(new StateOptions()), TimeProvider.System, new SessionRecordProtector(masterKey));
        _user = new SessionPrincipalData(Guid.CreateVersion7(), "bench@example.com", "Bench User", ["user"], ["pwd"]);
        for (var i = 0; i < SessionsPerUser; i++)
        {
            _cookie = _sessions.CreateAsync(_user, Client).GetAwaiter().GetResult().CookieValue;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _state.Dispose();

    /// <summary>Create, then revoke so that the user's session count stays at <see cref="SessionsPerUser"/>.</summary>
    [Benchmark]
    public async Task<bool> CreateThenRevoke()
    {
        var (_, handle, _) = await _sessions.CreateAsync(_user, Client);
        return await _sessions.RevokeAsync(_user.UserId, handle);
    }

    [Benchmark]
    public async Task<SessionFailure> Validate() => (await _sessions.ValidateAsync(_cookie, Client)).Failure;
}
