using Bastion.Abuse;
using Microsoft.Extensions.Configuration;

namespace Bastion.Tests.Abuse;

public sealed class RateLimitOptionsValidationTests
{
    private readonly AbuseOptionsValidator _validator = new();

    [Fact]
    public void Bind_OneWindowOfABudget_KeepsTheOthersAndTheOtherBudgets()
    {
        var options = Bind(new() { ["Bastion:Abuse:RateLimits:Budgets:read:PerMinute"] = "30" });

        Assert.Equal(30, options.RateLimits.Budgets[RateBudgets.Read].PerMinute);
        Assert.Equal(10_000, options.RateLimits.Budgets[RateBudgets.Read].PerHour);
        Assert.Equal(5, options.RateLimits.Budgets[RateBudgets.SignIn].PerMinute);
        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Bind_ANewBudgetAndARoute_AreAccepted()
    {
        var options = Bind(new()
        {
            ["Bastion:Abuse:RateLimits:Budgets:Export:PerHour"] = "10",
            ["Bastion:Abuse:RateLimits:Routes:0:Match"] = "GET /api/equipment/export",
            ["Bastion:Abuse:RateLimits:Routes:0:Budget"] = "Export",
        });

        Assert.Equal(10, options.RateLimits.Budgets["Export"].PerHour);
        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_RouteNamingAnUnknownBudget_NamesTheEntry()
    {
        var options = Bind(new()
        {
            ["Bastion:Abuse:RateLimits:Routes:0:Match"] = "Login",
            ["Bastion:Abuse:RateLimits:Routes:0:Budget"] = "Strictest",
        });

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Bastion:Abuse:RateLimits:Routes:0:Budget 'Strictest'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Write", "PerMinute", "-1")]
    [InlineData("Write", "PerMinute", "20000")]
    [InlineData("Write", "PerDay", "5")]
    [InlineData("Mail", "Address:PerHour", "1")]
    public void Validate_WindowsOutOfOrderOrNegative_NameTheBudget(string budget, string window, string value)
    {
        var options = Bind(new() { [$"Bastion:Abuse:RateLimits:Budgets:{budget}:{window}"] = value });

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"Bastion:Abuse:RateLimits:Budgets:{budget}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ABudgetWithNoWindowAtAll_Fails()
    {
        var options = Bind(new()
        {
            ["Bastion:Abuse:RateLimits:Budgets:SignIn:PerMinute"] = "0",
            ["Bastion:Abuse:RateLimits:Budgets:SignIn:PerHour"] = "0",
            ["Bastion:Abuse:RateLimits:Budgets:SignIn:PerDay"] = "0",
        });

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Bastion:Abuse:RateLimits:Budgets:SignIn must limit", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PerEndpointPerHour", "Budgets:Read:PerHour")]
    [InlineData("SignInPerMinute", "Budgets:SignIn:PerMinute")]
    [InlineData("RecoveryPerHour", "Budgets:Mail:Address:PerHour")]
    public void Validate_ARetiredKeyStillSet_NamesItsReplacement(string retired, string replacement)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Bastion:Abuse:RateLimits:{retired}"] = "3" }).Build();

        var result = new RetiredRateLimitKeys(configuration).Validate(null, new AbuseOptions());

        Assert.True(result.Failed);
        Assert.Contains($"Bastion:Abuse:RateLimits:{retired} is no longer read", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(replacement, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OnlyCurrentKeys_PassesTheRetiredKeyCheck()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Bastion:Abuse:RateLimits:Budgets:Read:PerMinute"] = "30" }).Build();

        Assert.True(new RetiredRateLimitKeys(configuration).Validate(null, new AbuseOptions()).Succeeded);
    }

    private static AbuseOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new AbuseOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Bastion:Abuse").Bind(options);
        return options;
    }
}
