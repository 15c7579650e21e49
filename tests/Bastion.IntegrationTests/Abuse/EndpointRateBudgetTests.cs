using Bastion.Abuse;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bastion.IntegrationTests.Abuse;

public sealed class EndpointRateBudgetTests
{
    private static readonly string[] Strict = [RateBudgets.SignIn, RateBudgets.Code, RateBudgets.Mail];

    // Every route that checks a password or a code, or sends mail: by endpoint name for the API, by route and
    // page handler for the host's pages. A new route of that kind belongs here.
    public static TheoryData<string, string?> StrictRoutes => new()
    {
        { "Login", null }, { "Reauthenticate", null }, { "ChangePassword", null }, { "DeleteAccount", null },
        { "CompleteMfaSignIn", null }, { "ConfirmTotp", null }, { "ConfirmEmailCodes", null }, { "ResetPassword", null }, { "VerifyEmail", null },
        { "Register", null }, { "ForgotPassword", null }, { "ResendVerification", null }, { "ChangeEmail", null },
        { "SendMfaSignInCode", null }, { "SendStepUpCode", null }, { "SetupEmailCodes", null },
        { "/Login", null }, { "/LoginMfa", null }, { "/LoginMfa", "SendEmail" }, { "/Register", null }, { "/ForgotPassword", null },
        { "/ResetPassword", null }, { "/VerifyEmail", null }, { "/Account", "ResendVerification" },
        { "/Account/Security", "Reauthenticate" }, { "/Account/Security", "ChangePassword" }, { "/Account/Security", "ConfirmTotp" },
        { "/Account/Security", "ConfirmEmail" }, { "/Account/Security", "SetupEmail" },
    };

    [Theory]
    [MemberData(nameof(StrictRoutes))]
    public async Task StrictRoute_DeclaresAStrictBudget(string route, string? handler)
    {
        await using var host = await TestHost.StartAsync();
        var resolver = host.Services.GetRequiredService<RateBudgetResolver>();
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(endpoint => route.StartsWith('/')
                ? endpoint is RouteEndpoint page && "/" + page.RoutePattern.RawText == route
                : endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == route)
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, endpoint => Assert.Contains(resolver.BudgetFor(endpoint, HttpMethods.Post, () => handler), Strict));
    }

    [Fact]
    public async Task Me_SpendsTheReadBudget()
    {
        await using var host = await TestHost.StartAsync();
        var resolver = host.Services.GetRequiredService<RateBudgetResolver>();
        var me = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == "Me");

        Assert.Equal(RateBudgets.Read, resolver.BudgetFor(me, HttpMethods.Get, () => null));
    }
}
