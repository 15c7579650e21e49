using Bastion.Abuse;
using Bastion.State;
using Bastion.Tests.Mfa;

namespace Bastion.Tests.Abuse;

public sealed class PermitAllotmentsTests
{
    private static readonly CounterRule Rule = new("rate:u:1:api:m", 1000, TimeSpan.FromMinutes(1));

    [Fact]
    public void AnUnknownCounter_AsksForOnePermit_ThenForASixteenthOfTheRoomUpToTheMaximum()
    {
        var clock = NewClock();
        var allotments = new PermitAllotments(clock, maxPermits: 40);

        Assert.Equal(1, allotments.ToTake(Rule));

        allotments.Record(Rule.Key, new CounterState(1, TimeSpan.FromMinutes(1), Granted: 1));
        Assert.Equal(40, allotments.ToTake(Rule));                                   // (1000 - 1) / 16 = 62, capped at 40

        allotments.Record(Rule.Key, new CounterState(700, TimeSpan.FromMinutes(1), Granted: 1));
        Assert.Equal(18, allotments.ToTake(Rule));                                   // (1000 - 700) / 16

        allotments.Record(Rule.Key, new CounterState(990, TimeSpan.FromMinutes(1), Granted: 1));
        Assert.Equal(1, allotments.ToTake(Rule));                                    // near the limit: one at a time
    }

    [Fact]
    public void AGrant_IsSpentOnePermitAtATime_BeyondTheOneTheGrantingRequestUsed()
    {
        var allotments = new PermitAllotments(NewClock(), maxPermits: 64);
        allotments.Record(Rule.Key, new CounterState(10, TimeSpan.FromMinutes(1), Granted: 4));

        var taken = Enumerable.Range(0, 5).Select(_ => allotments.TryTake(Rule.Key)).ToList();

        Assert.Equal(3, taken.Count(a => a is not null));
        Assert.Null(taken[^1]);
        Assert.Equal(10, taken[2]!.Spent);                                           // 7 before, the 3 spent here
    }

    [Fact]
    public void GrantsInOneWindow_AddUp_AndAGrantFromANewWindowReplacesTheRest()
    {
        var clock = NewClock();
        var allotments = new PermitAllotments(clock, maxPermits: 64);
        allotments.Record(Rule.Key, new CounterState(5, TimeSpan.FromSeconds(30), Granted: 3));
        allotments.Record(Rule.Key, new CounterState(9, TimeSpan.FromSeconds(30), Granted: 4));
        Assert.Equal(5, Drain(allotments));

        allotments.Record(Rule.Key, new CounterState(5, TimeSpan.FromSeconds(30), Granted: 3));
        allotments.Record(Rule.Key, new CounterState(4, TimeSpan.FromSeconds(90), Granted: 4));   // the store started a new window
        Assert.Equal(3, Drain(allotments));
    }

    [Fact]
    public void AnAllotment_EndsWithItsWindow()
    {
        var clock = NewClock();
        var allotments = new PermitAllotments(clock, maxPermits: 64);
        allotments.Record(Rule.Key, new CounterState(20, TimeSpan.FromSeconds(10), Granted: 10));

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Null(allotments.TryTake(Rule.Key));
        Assert.Equal(1, allotments.ToTake(Rule));
    }

    [Fact]
    public void APermitGivenBack_CanBeTakenAgain()
    {
        var allotments = new PermitAllotments(NewClock(), maxPermits: 64);
        allotments.Record(Rule.Key, new CounterState(2, TimeSpan.FromMinutes(1), Granted: 2));

        var permit = allotments.TryTake(Rule.Key);
        Assert.NotNull(permit);
        Assert.Null(allotments.TryTake(Rule.Key));
        permit.Return();

        Assert.NotNull(allotments.TryTake(Rule.Key));
    }

    [Fact]
    public async Task ConcurrentRequests_NeverSpendMoreThanWasGranted()
    {
        var allotments = new PermitAllotments(NewClock(), maxPermits: 10_000);
        var granted = 0L;
        var spent = 0L;

        // Grants arrive while requests spend and give back; at the end the spent permits must equal the spare ones.
        var spenders = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                if (allotments.TryTake(Rule.Key) is { } permit)
                {
                    if (i % 7 == 0)
                    {
                        permit.Return();
                    }
                    else
                    {
                        Interlocked.Increment(ref spent);
                    }
                }
            }
        })).ToList();
        var granter = Task.Run(() =>
        {
            for (var i = 1; i <= 2_000; i++)
            {
                allotments.Record(Rule.Key, new CounterState(i * 5, TimeSpan.FromMinutes(1), Granted: 5));
                Interlocked.Add(ref granted, 4);
            }
        });
        await Task.WhenAll([.. spenders, granter]);

        var left = Drain(allotments);
        Assert.Equal(granted, spent + left);
    }

    [Fact]
    public void BeyondTheBound_NewCountersGetNoAllotment()
    {
        var allotments = new PermitAllotments(NewClock(), maxPermits: 64, maxCounters: 3);
        for (var i = 0; i < 5; i++)
        {
            allotments.Record($"rate:{i}", new CounterState(1, TimeSpan.FromMinutes(1), Granted: 5));
        }

        Assert.Equal(3, allotments.Count);
        Assert.Null(allotments.TryTake("rate:4"));
        Assert.NotNull(allotments.TryTake("rate:0"));
    }

    [Fact]
    public void EndedAllotments_MakeRoomForNewCounters()
    {
        var clock = NewClock();
        var allotments = new PermitAllotments(clock, maxPermits: 64, maxCounters: 2);
        allotments.Record("rate:a", new CounterState(1, TimeSpan.FromSeconds(5), Granted: 5));
        allotments.Record("rate:b", new CounterState(1, TimeSpan.FromSeconds(5), Granted: 5));
        clock.Advance(TimeSpan.FromSeconds(6));

        allotments.Record("rate:c", new CounterState(1, TimeSpan.FromMinutes(1), Granted: 5));

        Assert.NotNull(allotments.TryTake("rate:c"));
        Assert.Equal(1, allotments.Count);
    }

    private static ManualClock NewClock() => new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private static int Drain(PermitAllotments allotments)
    {
        var count = 0;
        while (allotments.TryTake(Rule.Key) is not null)
        {
            count++;
        }

        return count;
    }
}
