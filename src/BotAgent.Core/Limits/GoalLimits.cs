using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Limits;

/// <summary>
/// Whether a goal may be planned now: one person's goals per minute (a token bucket per person, so nobody else is
/// slowed) and the plans already waiting for approval in the conversation. A goal over a limit gets a polite answer
/// saying when to try again, once per person per wait, so a flood is not answered with a flood.
/// </summary>
public sealed class GoalLimits : IDisposable
{
    private readonly IRunQueries _runs;
    private readonly TimeProvider _time;
    private readonly LimitOptions _options;
    private readonly PartitionedRateLimiter<string> _goals;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _toldUntil = new(StringComparer.Ordinal);

    public GoalLimits(IRunQueries runs, TimeProvider time, IOptions<LimitOptions> options)
    {
        _runs = runs;
        _time = time;
        _options = options.Value;
        var perMinute = _options.GoalsPerPersonPerMinute;
        _goals = PartitionedRateLimiter.Create<string, string>(person => perMinute <= 0
            ? RateLimitPartition.GetNoLimiter(person)
            : RateLimitPartition.GetTokenBucketLimiter(person, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = perMinute,
                TokensPerPeriod = perMinute,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }), StringComparer.Ordinal);
    }

    /// <returns>Null when the goal may be planned; otherwise the answer to post (or an empty notice: already told, say nothing).</returns>
    public async Task<NoticeView?> CheckAsync(GoalPosted goal, CancellationToken cancellationToken)
    {
        var person = PersonKey.Of(goal.Requester);
        using (var lease = _goals.AttemptAcquire(person))
        {
            if (!lease.IsAcquired)
            {
                var after = lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromMinutes(1);
                var title = person == PersonKey.Unproven
                    ? $"{_options.GoalsPerPersonPerMinute} plans were asked for in the last minute by people this channel does not vouch for, which is as many as I take from them together."
                    : $"{goal.Requester.Name}, you've asked for {_options.GoalsPerPersonPerMinute} plans in the last minute, which is as many as I take from one person.";
                return Once(person, after, title, "What was asked for before is still being handled; this one was not planned.");
            }
        }

        var most = _options.AwaitingApprovalPerConversation;
        if (most > 0)
        {
            var active = await _runs.ListByConversationAsync(goal.Conversation.OrderingKey, most + 1, activeOnly: true, cancellationToken);
            var waiting = active.Count(r => r.Status == RunStatus.AwaitingApproval);
            if (waiting >= most)
            {
                // Told once a minute per conversation: a flood of goals into a full conversation gets one answer.
                var key = "conversation/" + goal.Conversation.OrderingKey;
                var now = _time.GetUtcNow();
                if (_toldUntil.TryGetValue(key, out var told) && told > now)
                    return Silent;
                _toldUntil[key] = now + TimeSpan.FromMinutes(1);
                return new NoticeView($"{waiting} plans are already waiting for approval in this conversation, which is as many as I keep waiting at once.",
                    ["Approve, reject or `cancel` one of them, then ask again. This goal was not planned."], NoticeTone.Warning);
            }
        }
        return null;
    }

    public void Dispose() => _goals.Dispose();

    private NoticeView Once(string person, TimeSpan after, string title, string line)
    {
        var now = _time.GetUtcNow();
        var until = now + after;
        if (_toldUntil.TryGetValue(person, out var told) && told > now)
            return Silent;
        if (_toldUntil.Count > 10_000)
            _toldUntil.Clear();
        _toldUntil[person] = until;
        return new NoticeView(title, [line, $"Try again after {until.UtcDateTime.ToString("HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}."], NoticeTone.Warning);
    }

    /// <summary>Over the limit again before the wait is over: the person was told already.</summary>
    public static readonly NoticeView Silent = new("", [], NoticeTone.Info);
}
