using Bastion.Mfa;

namespace Bastion.Tests.Mfa;

public sealed class OtpAuthUriTests
{
    private static readonly byte[] Secret = "12345678901234567890"u8.ToArray();

    [Fact]
    public void Build_Defaults_GivesKeyUriFormatWithIssuerPrefixAndParameter()
    {
        var uri = OtpAuthUri.Build("Bastion", "alice@example.com", Secret);

        Assert.Equal(
            "otpauth://totp/Bastion:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bastion&algorithm=SHA1&digits=6&period=30",
            uri);
    }

    [Fact]
    public void Build_Sha512EightDigits_WritesThoseParameters()
    {
        var uri = OtpAuthUri.Build("Bastion", "alice", Secret, TotpAlgorithm.Sha512, 8, 30);

        Assert.EndsWith("&algorithm=SHA512&digits=8&period=30", uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_IssuerAndAccountWithReservedCharacters_ArePercentEncoded()
    {
        var uri = OtpAuthUri.Build("ACME Co & Sons", "a+b/c?d#e@example.com", Secret);

        Assert.StartsWith("otpauth://totp/ACME%20Co%20%26%20Sons:a%2Bb%2Fc%3Fd%23e%40example.com?secret=", uri, StringComparison.Ordinal);
        Assert.Contains("&issuer=ACME%20Co%20%26%20Sons&", uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NonAsciiIssuer_IsUtf8PercentEncoded()
    {
        var uri = OtpAuthUri.Build("Bäst", "jörg", Secret);

        Assert.StartsWith("otpauth://totp/B%C3%A4st:j%C3%B6rg?", uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Result_ParsesAsUriWithOneValuePerParameter()
    {
        var uri = new Uri(OtpAuthUri.Build("ACME Co & Sons", "alice@example.com", Secret));
        var parameters = uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));

        Assert.Equal("otpauth", uri.Scheme);
        Assert.Equal("totp", uri.Host);
        Assert.Equal(["secret", "issuer", "algorithm", "digits", "period"], parameters.Keys);
        Assert.Equal("ACME Co & Sons", parameters["issuer"]);
    }

    [Theory]
    [InlineData("Bas:tion", "alice")]
    [InlineData("Bastion", "al:ice")]
    [InlineData("", "alice")]
    [InlineData("Bastion", " ")]
    public void Build_EmptyOrColonInLabel_Throws(string issuer, string account)
    {
        Assert.ThrowsAny<ArgumentException>(() => OtpAuthUri.Build(issuer, account, Secret));
    }

    [Fact]
    public void Build_SecretShorterThan128Bits_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OtpAuthUri.Build("Bastion", "alice", new byte[10]));
    }
}
