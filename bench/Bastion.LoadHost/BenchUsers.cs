using Bastion.Accounts;

namespace Bastion.LoadHost;

/// <summary>The accounts the load scripts sign in with: bench0@example.com, bench1@example.com, …</summary>
internal static class BenchUsers
{
    public const string DefaultPassword = "Corr3ct-Horse-Battery!";

    public static string Email(int index) => $"bench{index}@example.com";

    /// <summary>Registers the accounts through the same service as the API; an account that exists is kept.</summary>
    public static Task SeedAsync(IServiceProvider services, int count, string password)
        => Parallel.ForEachAsync(Enumerable.Range(0, count), async (index, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var result = await accounts.RegisterAsync(new Registration(Email(index), password, "Bench User", null), cancellationToken);
            if (result.Errors is not null)
            {
                throw new InvalidOperationException(
                    $"Could not seed {Email(index)}: {string.Join(" ", result.Errors.ToDictionary().SelectMany(e => e.Value))}");
            }
        });
}
