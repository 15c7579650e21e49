namespace Bastion.Abuse;

/// <summary>Requests allowed per minute, hour and day; 0 sets no limit for that window.</summary>
public class RateWindowOptions
{
    public int PerMinute { get; set; }

    public int PerHour { get; set; }

    public int PerDay { get; set; }

    internal RateWindowOptions Set(int perMinute, int perHour, int perDay)
    {
        PerMinute = perMinute;
        PerHour = perHour;
        PerDay = perDay;
        return this;
    }
}
