using Bastion.Accounts.Passwords;

namespace Bastion.Tests.Accounts.Passwords;

public sealed class CommonPasswordsTests
{
    [Fact]
    public void EmbeddedResource_HoldsTenThousandLowercasedDistinctEntriesMostCommonFirst()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream(CommonPasswords.ResourceName);
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);
        var entries = reader.ReadToEnd().Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();

        Assert.True(entries.Count >= 10_000, $"{entries.Count} entries");
        Assert.Equal(entries.Count, entries.Distinct(StringComparer.Ordinal).Count());
        Assert.All(entries, e => Assert.Equal(e.ToLowerInvariant(), e));
        Assert.Equal(["password", "123456", "12345678"], entries.Take(3));
    }

    [Theory]
    [InlineData("123456")]
    [InlineData("password")]
    [InlineData("michael")]
    [InlineData("iloveyou")]
    [InlineData("QWERTY")]
    public void Embedded_ContainsWellKnownPasswords(string password)
    {
        Assert.True(CommonPasswords.Embedded.IsCommon(password));
    }

    [Theory]
    [InlineData("Password123!")]
    [InlineData("P@$$w0rd")]
    [InlineData("pa55w0rd")]
    [InlineData("4dmin!")]
    [InlineData("Dr4g0n")]
    [InlineData("!!dragon")]
    [InlineData("1dragon1")]
    [InlineData("adm1n")]
    [InlineData("Trustno1!")]
    public void IsCommon_DecoratedVariantOfListedWord_IsTrue(string password)
    {
        Assert.True(List().IsCommon(password));
    }

    [Theory]
    [InlineData("Dragonfly7!")]
    [InlineData("Xylophone1!")]
    [InlineData("pass-word")]
    [InlineData("abc123!")]
    public void IsCommon_WhenBaseWordIsNotListed_IsFalse(string password)
    {
        Assert.False(List().IsCommon(password));
    }

    [Fact]
    public void IsCommon_ShortListedWordItself_IsTrue()
    {
        Assert.True(List().IsCommon("ABC"));
    }

    private static CommonPasswords List() => new(["password", "dragon", "admin", "abc", "trustno1"]);
}
