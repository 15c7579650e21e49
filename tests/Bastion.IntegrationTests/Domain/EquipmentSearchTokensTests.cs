using Bastion.Server.Domain;

namespace Bastion.IntegrationTests.Domain;

public sealed class EquipmentSearchTokensTests
{
    [Fact]
    public void EveryRunOfThreeAsciiLettersOrDigits_LowerCased_UnderTheDepartment()
        => Assert.Equal(["Sales|osc", "Sales|sci", "Sales|cil", "Sales|ill"], EquipmentSearchTokens.For("Sales", "OSCill"));

    [Theory]
    [InlineData("ab", new string[0])]                                   // too short for a trigram
    [InlineData("a-b_c d", new string[0])]                              // no three word characters in a row
    [InlineData("3d-drucker", new[] { "d|dru", "d|ruc", "d|uck", "d|cke", "d|ker" })]
    [InlineData("größe", new string[0])]                                // ö and ß: their rules depend on the locale
    [InlineData("über", new[] { "d|ber" })]
    [InlineData("lalala", new[] { "d|lal", "d|ala" })]                  // each token once
    public void LeavesOutWhatCannotBeMatchedTheSameWayEverywhere(string text, string[] expected)
        => Assert.Equal(expected, EquipmentSearchTokens.For("d", text));

    [Fact]
    public void ALongText_AsksForAFewTokensOnly()
        => Assert.Equal(12, EquipmentSearchTokens.For("d", "abcdefghijklmnopqrstuvwxyz").Length);
}
