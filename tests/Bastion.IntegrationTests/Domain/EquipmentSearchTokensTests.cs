using System.Data.Common;
using Bastion.Access;
using Bastion.Server.Domain;
using Microsoft.EntityFrameworkCore;

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

    [ProductionStorageFact]
    public async Task EveryTokenOfATextInARecord_IsAmongTheTokensPostgreSqlIndexesForIt()
    {
        // If the query side ever asked for a token the index side lacks, the record would vanish from the search.
        await using var host = await TestHost.StartAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DomainDbContext>();
        await db.Database.OpenConnectionAsync();
        var random = new Random(20261125);
        const string alphabet = "abcXYZ019 -_%\\.,'éÉüÜßİıKσΣ中";
        for (var round = 0; round < 200; round++)
        {
            var name = new string(Enumerable.Range(0, random.Next(3, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var indexed = await TokensAsync(db.Database.GetDbConnection(), "Sales", name);
            for (var start = 0; start < name.Length; start++)
            {
                var text = name[start..Math.Min(name.Length, start + random.Next(1, 12))];
                Assert.All(EquipmentSearchTokens.For("Sales", text), token => Assert.Contains(token, indexed));
            }
        }
    }

    [ProductionStorageFact]
    public async Task ADepartmentLimitedSearch_UsesTheTokenIndex_AndKeepsTheAccessFilter()
    {
        await using var host = await TestHost.StartAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<EquipmentService>();
        var limited = new AccessSubject(Guid.NewGuid(), "Sales", true, ["viewer"], 1, [Grant.From("equipment", "read", "same_department")]);
        var everything = limited with { Grants = [Grant.From("equipment", "read", null)] };

        var sql = service.SearchQuery(limited, "laptop", null).ToQueryString();
        Assert.Contains("equipment_search_tokens_match", sql, StringComparison.Ordinal);
        Assert.Contains("'Sales|lap'", sql, StringComparison.Ordinal);
        Assert.Contains(".department = 'Sales'", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("equipment_search_tokens_match", service.SearchQuery(everything, "laptop", null).ToQueryString(), StringComparison.Ordinal);
        Assert.DoesNotContain("equipment_search_tokens_match", service.SearchQuery(limited, "ab", null).ToQueryString(), StringComparison.Ordinal);
    }

    private static async Task<string[]> TokensAsync(DbConnection connection, string department, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT equipment_search_tokens(@department, @name, NULL)";
        foreach (var (parameterName, value) in new[] { ("@department", department), ("@name", name) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = parameterName;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return (string[])(await command.ExecuteScalarAsync())!;
    }
}
