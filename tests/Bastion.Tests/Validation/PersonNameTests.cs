using Bastion.Validation;

namespace Bastion.Tests.Validation;

public sealed class PersonNameTests
{
    [Theory]
    [InlineData("Ada Lovelace")]
    [InlineData("Jean-Luc O'Neill")]
    [InlineData("Zoë Kravitz")]
    [InlineData("José María Aznar Jr.")]
    [InlineData("李小龍")]
    public void Validate_AcceptsNamesOfManyScripts(string name) => Assert.Null(PersonName.Validate(name));

    [Theory]
    [InlineData("")]
    [InlineData("A")]
    [InlineData("<script>")]
    [InlineData("Robert'); DROP TABLE users;--")]
    [InlineData("Evil\u202Egnp.exe")]
    [InlineData("Zero\u200BWidth")]
    [InlineData("Tab\tName")]
    [InlineData("-Leading")]
    public void Validate_RefusesMarkupControlAndInvisibleCharacters(string name) => Assert.NotNull(PersonName.Validate(name));

    [Fact]
    public void Validate_RefusesNamesOver100Characters() => Assert.NotNull(PersonName.Validate(new string('a', 101)));

    [Fact]
    public void Normalize_CollapsesSpacesAndComposesAccents()
        => Assert.Equal("Zo\u00eb Smith", PersonName.Normalize("  Zoe\u0308   Smith "));
}
