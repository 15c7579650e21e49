using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Bastion.Tokens;

/// <summary>Creating key pairs, their public JWKs (RFC 7517) and the security keys used to sign and verify.</summary>
internal static class SigningKeyMaterial
{
    /// <summary>A new key pair: the PKCS#8 private key, the public JWK as JSON, and its kid (RFC 7638 thumbprint).</summary>
    public static (byte[] Pkcs8, string PublicJwk, string Kid) Create(string algorithm)
    {
        if (algorithm == SigningAlgorithms.ES256)
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var p = ec.ExportParameters(false);
            var (x, y) = (Base64Url.EncodeToString(p.Q.X), Base64Url.EncodeToString(p.Q.Y));
            var kid = Thumbprint($$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}""");
            var jwk = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["kty"] = "EC", ["use"] = "sig", ["alg"] = algorithm, ["kid"] = kid, ["crv"] = "P-256", ["x"] = x, ["y"] = y,
            });
            return (ec.ExportPkcs8PrivateKey(), jwk, kid);
        }

        // 2048-bit RSA: NIST SP 800-57 security strength 112, the floor RFC 7518 §3.3 sets for RS256.
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(false);
        var (n, e) = (Base64Url.EncodeToString(parameters.Modulus), Base64Url.EncodeToString(parameters.Exponent));
        var rsaKid = Thumbprint($$"""{"e":"{{e}}","kty":"RSA","n":"{{n}}"}""");
        var rsaJwk = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = algorithm, ["kid"] = rsaKid, ["n"] = n, ["e"] = e,
        });
        return (rsa.ExportPkcs8PrivateKey(), rsaJwk, rsaKid);
    }

    /// <summary>The signing key from a decrypted PKCS#8 private key.</summary>
    public static SecurityKey PrivateKey(string algorithm, string kid, byte[] pkcs8)
    {
        if (algorithm == SigningAlgorithms.ES256)
        {
            var ec = ECDsa.Create();
            ec.ImportPkcs8PrivateKey(pkcs8, out _);
            return new ECDsaSecurityKey(ec) { KeyId = kid };
        }

        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return new RsaSecurityKey(rsa) { KeyId = kid };
    }

    /// <summary>The verification key from a stored public JWK.</summary>
    public static SecurityKey PublicKey(string publicJwk)
    {
        var jwk = JsonSerializer.Deserialize<Dictionary<string, string>>(publicJwk)!;
        var kid = jwk["kid"];
        if (jwk["kty"] == "EC")
        {
            var ec = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk["x"]), Y = Base64Url.DecodeFromChars(jwk["y"]) },
            });
            return new ECDsaSecurityKey(ec) { KeyId = kid };
        }

        var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(jwk["n"]), Exponent = Base64Url.DecodeFromChars(jwk["e"]) });
        return new RsaSecurityKey(rsa) { KeyId = kid };
    }

    // RFC 7638 §3: SHA-256 over the required members in lexicographic order, without whitespace.
    private static string Thumbprint(string canonicalJwk) => Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonicalJwk)));
}
