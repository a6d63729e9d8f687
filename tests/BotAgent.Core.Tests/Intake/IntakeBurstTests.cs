using BotAgent.Core.Intake;

namespace BotAgent.Core.Tests.Intake;

/// <summary>When the inbox worker steps back for a burst of arrivals, and when it stops stepping back.</summary>
public sealed class IntakeBurstTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Ms(int ms) => T0.AddMilliseconds(ms);

    [Fact]
    public void Arrivals_at_burst_rate_hold_processing_back_and_their_end_releases_it_within_a_window()
    {
        var burst = new IntakeBurst(2000, TimeSpan.FromSeconds(10));
        Assert.False(burst.Holding(0, Ms(0), null));

        Assert.True(burst.Holding(300, Ms(100), null)); // 3,000/s
        Assert.True(burst.Holding(600, Ms(200), null));
        Assert.True(burst.Holding(650, Ms(250), null)); // mid-window: the last verdict stands
        Assert.False(burst.Holding(650, Ms(300), null)); // 500/s over the window: over
    }

    [Fact]
    public void A_chat_paced_stream_never_holds()
    {
        var burst = new IntakeBurst(2000, TimeSpan.FromSeconds(10));
        long sets = 0;
        for (var ms = 0; ms <= 5000; ms += 100)
            Assert.False(burst.Holding(sets += 150, Ms(ms), null)); // 1,500/s: busy, not a burst
    }

    [Fact]
    public void Holding_stops_once_the_oldest_waiting_item_is_too_far_behind_whatever_still_arrives()
    {
        var burst = new IntakeBurst(2000, TimeSpan.FromSeconds(10));
        burst.Holding(0, Ms(0), null);

        Assert.True(burst.Holding(500, Ms(100), oldestWaiting: Ms(-9_000)));
        Assert.False(burst.Holding(1000, Ms(200), oldestWaiting: Ms(-9_900))); // 10.1 s behind
    }

    [Fact]
    public void A_count_from_long_ago_is_not_a_rate()
    {
        var burst = new IntakeBurst(2000, TimeSpan.FromSeconds(10));
        burst.Holding(0, Ms(0), null);

        // The worker was busy or idle for two seconds while 5,000 arrived: 2,500/s on average, but not now.
        Assert.False(burst.Holding(5000, Ms(2000), null));
        Assert.True(burst.Holding(5300, Ms(2100), null)); // counting again from there
    }
}
