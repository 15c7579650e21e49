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
    private static readonly (string Route, string? Handler)[] StrictRoutes =
    [
        ("Login", null), ("Reauthenticate", null), ("ChangePassword", null), ("DeleteAccount", null),
        ("CompleteMfaSignIn", null), ("ConfirmTotp", null), ("ConfirmEmailCodes", null), ("ResetPassword", null), ("VerifyEmail", null),
        ("Register", null), ("ForgotPassword", null), ("ResendVerification", null), ("ChangeEmail", null),
        ("SendMfaSignInCode", null), ("SendStepUpCode", null), ("SetupEmailCodes", null),
        ("/login", null), ("/login/mfa", null), ("/login/mfa", "SendEmail"), ("/register", null), ("/forgot-password", null),
        ("/reset-password", null), ("/verify-email", null), ("/account", "ResendVerification"),
        ("/account/security", "Reauthenticate"), ("/account/security", "ChangePassword"), ("/account/security", "ConfirmTotp"),
        ("/account/security", "ConfirmEmail"), ("/account/security", "SetupEmail"),
    ];

    [Fact]
    public async Task EveryPasswordCodeAndMailRoute_SpendsAStrictBudget()
    {
        await using var host = await TestHost.StartAsync();
        var resolver = host.Services.GetRequiredService<RateBudgetResolver>();
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints;

        var offenders = new List<string>();
        foreach (var (route, handler) in StrictRoutes)
        {
            var found = endpoints.Where(endpoint => route.StartsWith('/')
                    ? endpoint is RouteEndpoint page && string.Equals("/" + page.RoutePattern.RawText?.Trim('/'), route, StringComparison.OrdinalIgnoreCase)
                    : endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == route)
                .ToList();
            offenders.AddRange(found.Count == 0
                ? [$"{route}: no such endpoint"]
                : found.Select(endpoint => resolver.BudgetFor(endpoint, HttpMethods.Post, () => handler))
                    .Where(budget => !Strict.Contains(budget))
                    .Select(budget => $"{route} {handler}: spends {budget}"));
        }

        Assert.Empty(offenders);
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
