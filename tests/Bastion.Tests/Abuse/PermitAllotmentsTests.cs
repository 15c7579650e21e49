using Bastion.Abuse;
using Bastion.State;
using Bastion.Tests.Mfa;

namespace Bastion.Tests.Abuse;

public sealed class PermitAllotmentsTests
{
    private const string Key = "rate:u:1:api:m";

    [Fact]
    public void AGrant_IsSpentOnePermitAtATime_BeyondTheOneTheGrantingRequestUsed()
    {
        var clock = NewClock();
        var allotments = new PermitAllotments(clock);
        allotments.Record(Key, new CounterState(10, TimeSpan.FromMinutes(1), Granted: 4), clock.GetTimestamp());

        var taken = Enumerable.Range(0, 5).Select(_ => allotments.TryTake(Key)).ToList();

        Assert.Equal(3, taken.Count(a => a is not null));
        Assert.Null(taken[^1]);
        Assert.Equal(10, taken[2]!.Spent);                                           // 7 before, the 3 spent here
    }

    [Fact]
    public void AGrantOfOnePermit_LeavesNothingToKeep()
    {
        var clock = NewClock();
        var allotments = new PermitAllotments(clock);

        allotments.Record(Key, new CounterState(99, TimeSpan.FromMinutes(1), Granted: 1), clock.GetTimestamp());

        Assert.Equal(0, allotments.Count);
        Assert.Null(allotments.TryTake(Key));
    }

    [Fact]
    public void GrantsInOneWindow_AddUp_AndAGrantFromANewerWindowReplacesTheRest()
    {
        var clock = NewClock();
        var allotments = new PermitAllotments(clock);
        allotments.Record(Key, new CounterState(5, TimeSpan.FromSeconds(30), Granted: 3), clock.GetTimestamp());
        allotments.Record(Key, new CounterState(9, TimeSpan.FromSeconds(30), Granted: 4), clock.GetTimestamp());
        Assert.Equal(5, Drain(allotments));

        allotments.Record(Key, new CounterState(5, TimeSpan.FromSeconds(30), Granted: 3), clock.GetTimestamp());
        allotments.Record(Key, new CounterState(4, TimeSpan.FromSeconds(90), Granted: 4), clock.GetTimestamp());   // the store started a new window
        Assert.Equal(3, Drain(allotments));
    }

    [Fact]
    public void ALateAnswerFromAnOlderWindow_DoesNotReplaceTheNewerOne()
    {
        var clock = NewClock();
        var allotments = new PermitAllotments(clock);
        allotments.Record(Key, new CounterState(4, TimeSpan.FromSeconds(90), Granted: 4), clock.GetTimestamp());

        allotments.Record(Key, new CounterState(60, TimeSpan.FromSeconds(5), Granted: 6), clock.GetTimestamp());

        Assert.Equal(3, Drain(allotments));
    }

    [Fact]
    public void AnAllotment_EndsWithItsWindow_CountedFromWhenTheStoreWasAsked()
    {
        var clock = NewClock();
        var allotments = new PermitAllotments(clock);
        var askedAt = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(3));                                      // a slow answer
        allotments.Record(Key, new CounterState(20, TimeSpan.FromSeconds(10), Granted: 10), askedAt);

        var permit = allotments.TryTake(Key);
        Assert.NotNull(permit);
        Assert.Equal(TimeSpan.FromSeconds(7), allotments.TimeLeft(permit));
        clock.Advance(TimeSpan.FromSeconds(7));

        Assert.Null(allotments.TryTake(Key));
    }

    [Fact]
    public void APermitGivenBack_CanBeTakenAgain()
    {
        var clock = NewClock();
        var allotments = new PermitAllotments(clock);
        allotments.Record(Key, new CounterState(2, TimeSpan.FromMinutes(1), Granted: 2), clock.GetTimestamp());

        var permit = allotments.TryTake(Key);
        Assert.NotNull(permit);
        Assert.Null(allotments.TryTake(Key));
        permit.Return();

        Assert.NotNull(allotments.TryTake(Key));
    }

    [Fact]
    public async Task ConcurrentRequests_NeverSpendMoreThanWasGranted()
    {
        var clock = NewClock();
        var allotments = new PermitAllotments(clock);
        var granted = 0L;
        var spent = 0L;

        // Grants arrive while requests spend and give back; at the end the spent permits must equal the spare ones.
        var spenders = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                if (allotments.TryTake(Key) is { } permit)
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
                allotments.Record(Key, new CounterState(i * 5, TimeSpan.FromMinutes(1), Granted: 5), clock.GetTimestamp());
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
        var clock = NewClock();
        var allotments = new PermitAllotments(clock, maxCounters: 3);
        for (var i = 0; i < 5; i++)
        {
            allotments.Record($"rate:{i}", new CounterState(5, TimeSpan.FromMinutes(1), Granted: 5), clock.GetTimestamp());
        }

        Assert.Equal(3, allotments.Count);
        Assert.Null(allotments.TryTake("rate:4"));
        Assert.NotNull(allotments.TryTake("rate:0"));
    }

    [Fact]
    public void EndedAllotments_MakeRoomForNewCounters()
    {
        var clock = NewClock();
        var allotments = new PermitAllotments(clock, maxCounters: 2);
        allotments.Record("rate:a", new CounterState(5, TimeSpan.FromSeconds(5), Granted: 5), clock.GetTimestamp());
        allotments.Record("rate:b", new CounterState(5, TimeSpan.FromSeconds(5), Granted: 5), clock.GetTimestamp());
        clock.Advance(TimeSpan.FromSeconds(6));

        allotments.Record("rate:c", new CounterState(5, TimeSpan.FromMinutes(1), Granted: 5), clock.GetTimestamp());

        Assert.NotNull(allotments.TryTake("rate:c"));
        Assert.Equal(1, allotments.Count);
    }

    private static ManualClock NewClock() => new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private static int Drain(PermitAllotments allotments)
    {
        var count = 0;
        while (allotments.TryTake(Key) is not null)
        {
            count++;
        }

        return count;
    }
}
