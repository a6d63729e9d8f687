using System.Globalization;
using System.Threading.RateLimiting;
using BotAgent.Core.Intake;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Limits;

/// <summary>
/// Model tokens one person's runs may spend in a day: a token bucket per person that refills an hour's share every
/// hour, drawn down by what each call actually used. A call is not made once the bucket is empty.
/// </summary>
public sealed class ModelUsageLimits : IDisposable
{
    private readonly int _perDay;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<string> _tokens;

    public ModelUsageLimits(TimeProvider time, IOptions<LimitOptions> options)
    {
        _time = time;
        _perDay = options.Value.ModelTokensPerPersonPerDay;
        var perHour = Math.Max(1, _perDay / 24);
        _tokens = PartitionedRateLimiter.Create<string, string>(person => _perDay <= 0
            ? RateLimitPartition.GetNoLimiter(person)
            : RateLimitPartition.GetTokenBucketLimiter(person, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = _perDay,
                TokensPerPeriod = perHour,
                ReplenishmentPeriod = TimeSpan.FromHours(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }), StringComparer.Ordinal);
    }

    /// <summary>Null when the person's runs may call the model now; otherwise what to tell them.</summary>
    public string? WhyNot(Member person)
    {
        if (_perDay <= 0 || _tokens.GetStatistics(PersonKey.Of(person)) is not { CurrentAvailablePermits: <= 0 })
            return null;
        var after = _time.GetUtcNow().AddHours(1).UtcDateTime.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return person.ProvenBy is null
            ? $"people this channel does not vouch for have used, together, the {_perDay:N0} model tokens a person may use in a day; more become available by {after}"
            : $"{person.Name} has used the {_perDay:N0} model tokens a person may use in a day; more become available by {after}";
    }

    /// <summary>Draws down what a call used (never below empty: the call has happened).</summary>
    public void Record(Member person, long tokens)
    {
        if (_perDay <= 0 || tokens <= 0)
            return;
        var key = PersonKey.Of(person);
        var available = _tokens.GetStatistics(key)?.CurrentAvailablePermits ?? _perDay;
        var take = (int)Math.Min(tokens, Math.Max(0, available));
        if (take > 0)
            _tokens.AttemptAcquire(key, take).Dispose();
    }

    public void Dispose() => _tokens.Dispose();
}
