using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bastion.FaultTests.Cluster;

/// <summary>
/// A throw-away self-signed certificate for 127.0.0.1, written as PEM for Kestrel; clients trust exactly this
/// certificate (pinned by its thumbprint), not every certificate.
/// </summary>
internal sealed class NodeCertificate
{
    private readonly string _thumbprint;

    private NodeCertificate(string certificatePath, string keyPath, string thumbprint)
    {
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        _thumbprint = thumbprint;
    }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    public static NodeCertificate Create(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        var certificatePath = Path.Combine(directory, "node.crt");
        var keyPath = Path.Combine(directory, "node.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return new NodeCertificate(certificatePath, keyPath, certificate.Thumbprint);
    }

    /// <summary>A client for the nodes: no cookie jar (each caller sends its own cookie), short connect timeout.</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 c && c.Thumbprint == _thumbprint },
    })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };
}
