namespace BotAgent.Core.Resilience;

/// <summary>
/// How long to wait before trying again: the first delay doubled per retry up to a cap, spread by jitter so
/// instances that failed together do not try again together. A <c>Retry-After</c> the server gave wins, capped by
/// <see cref="MaxRetryAfter"/>. The step retries, the outbox, Slack Socket Mode and MCP reconnects all wait by this.
/// </summary>
public sealed class Backoff
{
    // 2^62 ticks is past any cap; beyond it the double arithmetic would only add overflow to worry about.
    private const int MaxDoublings = 62;

    private readonly Func<double> _random;

    /// <param name="firstDelay">The wait before the first retry (retry 0).</param>
    /// <param name="maxDelay">Where doubling stops; <see cref="TimeSpan.MaxValue"/> for no cap.</param>
    /// <param name="jitter">
    /// The spread around the capped delay, as a fraction of it: 0.2 gives 80% to 120%. Applied after the cap, so a
    /// capped wait still varies between instances.
    /// </param>
    /// <param name="random">A source of numbers in [0, 1); <see cref="Random.Shared"/> unless a test fixes it.</param>
    public Backoff(TimeSpan firstDelay, TimeSpan maxDelay, double jitter, Func<double>? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1);
        FirstDelay = firstDelay;
        MaxDelay = maxDelay;
        Jitter = jitter;
        _random = random ?? Random.Shared.NextDouble;
    }

    public TimeSpan FirstDelay { get; }

    public TimeSpan MaxDelay { get; }

    public double Jitter { get; }

    /// <summary>
    /// The longest <c>Retry-After</c> obeyed: a server's mistaken or hostile answer must not park work for hours.
    /// Ten minutes is well past what Teams and Slack ask for when they throttle.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <param name="retry">Which retry this is, from 0 for the first.</param>
    /// <param name="retryAfter">
    /// What the server asked for, if it did. "No wait" (or a time already past) is no instruction: the backoff decides,
    /// so a server that always says "now" cannot turn a loop that retries for ever into a hot one.
    /// </param>
    public TimeSpan Delay(int retry, TimeSpan? retryAfter = null)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
            return asked > MaxRetryAfter ? MaxRetryAfter : asked;

        var grown = FirstDelay.Ticks * Math.Pow(2, Math.Clamp(retry, 0, MaxDoublings));
        var capped = Math.Min(grown, MaxDelay.Ticks);
        var ticks = capped * (1 - Jitter + (2 * Jitter * _random()));
        // Compared as doubles: long.MaxValue converts up to 2^63, which does not convert back.
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }
}
