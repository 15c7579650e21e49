using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Bastion.Tests.Email;

/// <summary>
/// An SMTP server offering STARTTLS (tests/fixtures/smtp/starttls-server.js) with a self-signed certificate for
/// 127.0.0.1 made here. Each message it accepts is a JSON file saying whether the session was encrypted.
/// </summary>
public sealed class StartTlsSmtpServer : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bastion-starttls-").FullName;
    private SmtpFixtureProcess? _process;

    public string Host { get; } = "127.0.0.1";

    public int Port { get; private set; }

    public X509Certificate2 Certificate { get; } = CreateCertificate();

    public async Task InitializeAsync()
    {
        var certFile = Path.Combine(_directory, "cert.pem");
        var keyFile = Path.Combine(_directory, "key.pem");
        await File.WriteAllTextAsync(certFile, Certificate.ExportCertificatePem());
        using (var key = Certificate.GetECDsaPrivateKey()!)
        {
            await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        }

        var inbox = Directory.CreateDirectory(Path.Combine(_directory, "inbox")).FullName;
        for (var attempt = 1; ; attempt++)
        {
            Port = SmtpFixtureProcess.FreePort();
            _process = SmtpFixtureProcess.Start("starttls-server.js", Port.ToString(CultureInfo.InvariantCulture), certFile, keyFile, inbox);
            if (await _process.WaitUntilAsync(() => Task.FromResult(_process.Output.Contains("ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)))
            {
                return;
            }

            var output = _process.Output;
            await _process.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"The STARTTLS server did not start: {output}");
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        Certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The messages received so far, in order.</summary>
    public IReadOnlyList<(bool Secure, IReadOnlyList<string> To, string Raw)> Received()
        => Directory.GetFiles(Path.Combine(_directory, "inbox"), "*.json")
            .OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f), CultureInfo.InvariantCulture))
            .Select(f =>
            {
                using var json = JsonDocument.Parse(File.ReadAllText(f));
                var root = json.RootElement;
                return (root.GetProperty("secure").GetBoolean(), (IReadOnlyList<string>)[.. root.GetProperty("to").EnumerateArray().Select(t => t.GetString()!)], root.GetProperty("raw").GetString()!);
            })
            .ToList();

    /// <summary>
    /// Makes SmtpClient trust this server's certificate, and only it, until disposed. SmtpClient validates through
    /// the process-wide ServicePointManager callback, so only tests in one class (run one after another) use it.
    /// Chain errors are accepted only when the chain builds to this certificate; a name mismatch never is.
    /// </summary>
    public IDisposable TrustCertificate()
    {
#pragma warning disable SYSLIB0014 // SmtpClient has no per-client validation callback.
        var previous = ServicePointManager.ServerCertificateValidationCallback;
        ServicePointManager.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(Certificate);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var presented = new X509Certificate2(certificate);
            return chain.Build(presented);
        };
        return new Restore(() => ServicePointManager.ServerCertificateValidationCallback = previous);
#pragma warning restore SYSLIB0014
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
