namespace Bastion.Abuse;

/// <summary>
/// One rate budget (<c>Bastion:Abuse:RateLimits:Budgets:{name}</c>). Its own windows count per client: the user when
/// signed in, else the address. <see cref="Address"/> counts per address whoever is signed in, so that one address
/// cycling through accounts or stolen sessions is held too; it is left unset for reads and writes, where it would
/// count a whole office behind one address as one client.
/// </summary>
public sealed class RateBudgetOptions : RateWindowOptions
{
    public RateWindowOptions Address { get; } = new();

    internal static RateBudgetOptions Of(int perMinute, int perHour, int perDay, int addressPerMinute = 0, int addressPerHour = 0, int addressPerDay = 0)
    {
        var budget = new RateBudgetOptions();
        budget.Set(perMinute, perHour, perDay);
        budget.Address.Set(addressPerMinute, addressPerHour, addressPerDay);
        return budget;
    }
}
