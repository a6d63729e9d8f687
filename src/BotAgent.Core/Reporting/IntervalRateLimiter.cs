using System.Threading.RateLimiting;

namespace BotAgent.Core.Reporting;

/// <summary>
/// One permit, then none until <c>interval</c> has passed since it was granted, on the bot's clock. Asking for zero
/// permits asks whether one would be granted now without taking it (with the wait as <see cref="MetadataName.RetryAfter"/>
/// when not). Nothing is queued.
/// </summary>
/// <remarks>
/// The library's token bucket and windows refill on the ticks of a system timer, so two permits could come closer
/// together than the interval (one just before a tick, one just after) and a test could not move their clock.
/// </remarks>
internal sealed class IntervalRateLimiter(TimeSpan interval, TimeProvider time) : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(null);

    private readonly Lock _lock = new();
    private readonly long _createdAt = time.GetTimestamp();
    private long? _grantedAt;
    private long _granted;
    private long _refused;

    /// <summary>How long a permit has been free: a partitioned limiter drops a partition idle for long.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                if (_grantedAt is not { } granted)
                    return time.GetElapsedTime(_createdAt);
                var free = time.GetElapsedTime(granted) - interval;
                return free >= TimeSpan.Zero ? free : null;
            }
        }
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = Wait() > TimeSpan.Zero ? 0 : 1,
                TotalSuccessfulLeases = _granted,
                TotalFailedLeases = _refused,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, 1);
        lock (_lock)
        {
            var wait = Wait();
            if (wait > TimeSpan.Zero)
            {
                if (permitCount > 0)
                    _refused++;
                return new Lease(wait);
            }
            if (permitCount > 0)
            {
                _grantedAt = time.GetTimestamp();
                _granted++;
            }
            return Granted;
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private TimeSpan Wait() => _grantedAt is { } granted ? interval - time.GetElapsedTime(granted) : TimeSpan.Zero;

    /// <param name="retryAfter">Null for a granted permit; the wait for a refused one.</param>
    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
