using BotAgent.Core.Resilience;

namespace BotAgent.Core.Tests.Resilience;

public sealed class BackoffTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    // The middle of the jitter range: the delay before any spread.
    private static double Middle() => 0.5;

    [Fact]
    public void Each_retry_waits_twice_as_long_as_the_one_before()
    {
        var backoff = new Backoff(Second, TimeSpan.MaxValue, 0.5, Middle);

        Assert.Equal(
            [Second, 2 * Second, 4 * Second, 8 * Second, 16 * Second],
            Enumerable.Range(0, 5).Select(retry => backoff.Delay(retry)));
    }

    [Fact]
    public void Doubling_stops_at_the_cap()
    {
        var backoff = new Backoff(Second, TimeSpan.FromSeconds(10), 0, Middle);

        Assert.Equal(8 * Second, backoff.Delay(3));
        Assert.Equal(10 * Second, backoff.Delay(4));
        Assert.Equal(10 * Second, backoff.Delay(1_000));
        Assert.Equal(10 * Second, backoff.Delay(int.MaxValue));
    }

    [Fact]
    public void Without_a_cap_a_huge_retry_count_waits_the_longest_time_there_is_rather_than_overflowing()
    {
        var backoff = new Backoff(TimeSpan.FromDays(1), TimeSpan.MaxValue, 0.5, () => 0.999);

        Assert.Equal(TimeSpan.MaxValue, backoff.Delay(int.MaxValue));
    }

    [Fact]
    public void A_zero_first_delay_never_waits()
    {
        var backoff = new Backoff(TimeSpan.Zero, TimeSpan.MaxValue, 0.2, Middle);

        Assert.Equal(TimeSpan.Zero, backoff.Delay(int.MaxValue));
    }

    [Theory]
    [InlineData(0.0, 800)]
    [InlineData(0.25, 900)]
    [InlineData(0.5, 1000)]
    [InlineData(0.999999, 1200)]
    public void Jitter_spreads_the_delay_by_its_fraction_either_way(double random, int expectedMs)
    {
        var backoff = new Backoff(Second, TimeSpan.MaxValue, 0.2, () => random);

        Assert.Equal(expectedMs, backoff.Delay(0).TotalMilliseconds, precision: 0);
    }

    [Fact]
    public void Jitter_spreads_around_the_cap_so_capped_waits_still_differ()
    {
        var low = new Backoff(Second, TimeSpan.FromSeconds(10), 0.2, () => 0);
        var high = new Backoff(Second, TimeSpan.FromSeconds(10), 0.2, () => 0.999999);

        Assert.Equal(TimeSpan.FromSeconds(8), low.Delay(20));
        Assert.Equal(12_000, high.Delay(20).TotalMilliseconds, precision: 0);
    }

    [Fact]
    public void Delays_from_the_shared_random_source_stay_within_the_jitter_bounds()
    {
        var backoff = new Backoff(Second, TimeSpan.MaxValue, 0.5);

        var delays = Enumerable.Range(0, 1_000).Select(_ => backoff.Delay(1)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)));
        Assert.True(delays.Distinct().Count() > 1, "the delays vary");
    }

    [Fact]
    public void Without_jitter_the_random_source_is_irrelevant()
    {
        var backoff = new Backoff(Second, TimeSpan.MaxValue, 0, () => 0.9);

        Assert.Equal(4 * Second, backoff.Delay(2));
    }

    [Fact]
    public void A_server_s_retry_after_wins_over_the_backoff_in_either_direction_without_jitter()
    {
        var backoff = new Backoff(Second, TimeSpan.FromSeconds(10), 0.5, () => 0);

        Assert.Equal(TimeSpan.FromSeconds(7), backoff.Delay(0, TimeSpan.FromSeconds(7)));
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Delay(5, TimeSpan.FromMilliseconds(100)));
        // Above the backoff's own cap: the server knows when it will take the call again.
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.Delay(0, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_retry_after_of_no_wait_or_in_the_past_leaves_the_backoff_in_charge()
    {
        // "Retry now", said on every answer, would otherwise turn a reconnect loop that retries for ever into a hot one.
        var backoff = new Backoff(Second, TimeSpan.FromSeconds(10), 0, Middle);

        Assert.Equal(backoff.Delay(3), backoff.Delay(3, TimeSpan.FromSeconds(-5)));
        Assert.Equal(backoff.Delay(3), backoff.Delay(3, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(8), backoff.Delay(3, TimeSpan.Zero));
    }

    [Fact]
    public void A_retry_after_longer_than_the_longest_obeyed_is_cut_to_it()
    {
        var backoff = new Backoff(Second, TimeSpan.FromSeconds(10), 0, Middle) { MaxRetryAfter = TimeSpan.FromMinutes(2) };
        var byDefault = new Backoff(Second, TimeSpan.FromSeconds(10), 0, Middle);

        Assert.Equal(TimeSpan.FromMinutes(2), backoff.Delay(0, TimeSpan.FromHours(6)));
        Assert.Equal(TimeSpan.FromMinutes(2), backoff.Delay(0, TimeSpan.FromMinutes(2)));
        Assert.Equal(TimeSpan.FromMinutes(10), byDefault.Delay(0, TimeSpan.FromDays(1)));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(1.5)]
    public void A_jitter_outside_zero_to_one_is_refused(double jitter)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(Second, TimeSpan.MaxValue, jitter));
    }

    [Fact]
    public void A_negative_first_delay_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(-1), TimeSpan.MaxValue, 0));
    }
}
