using Bastion.Validation;

namespace Bastion.Tests.Validation;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("user@example.com")]
    [InlineData("first.last+tag@sub.example.co.uk")]
    [InlineData("o'brien@example.ie")]
    [InlineData("user@xn--bcher-kva.example")]
    public void Validate_AcceptsOrdinaryAddresses(string email) => Assert.Null(EmailAddress.Validate(email));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("plainaddress")]
    [InlineData("@example.com")]
    [InlineData("user@")]
    [InlineData("user@localhost")]
    [InlineData("user..dots@example.com")]
    [InlineData("user@exa mple.com")]
    [InlineData("user@example.com' OR '1'='1")]
    [InlineData("\u0430dmin@example.com")]
    [InlineData("admin@b\u00fccher.example")]
    public void Validate_RefusesMalformedOrNonAsciiAddresses(string email) => Assert.NotNull(EmailAddress.Validate(email));

    [Fact]
    public void Validate_RefusesLocalPartsOver64AndAddressesOver254Characters()
    {
        Assert.NotNull(EmailAddress.Validate(new string('a', 65) + "@example.com"));
        Assert.NotNull(EmailAddress.Validate("a@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 5)) + ".com"));
    }

    [Fact]
    public void Normalize_TrimsAndLowerCases() => Assert.Equal("user@example.com", EmailAddress.Normalize("  User@Example.COM "));
}
