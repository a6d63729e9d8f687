using System.Globalization;
using System.Threading.RateLimiting;
using BotAgent.Core.Approvals;
using BotAgent.Core.Limits;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Intake;

/// <summary>
/// The <c>pending</c> command: what waits for the asker's approval, each with its card to act on (the clicks take the one
/// decision path, with all its checks). Always about the person who asks, as the channel proved them: naming someone else
/// is refused. Answers are limited per person, so a flood of <c>pending</c> is not answered with a flood of cards.
/// </summary>
public sealed class PendingCommand : IDisposable
{
    /// <summary>Cards in one answer; more are counted, not shown.</summary>
    public const int MaxCards = 10;

    /// <summary>Answers per person per minute; beyond that one warning, then silence until the minute is over.</summary>
    public const int PerPersonPerMinute = 3;

    private readonly PendingApprovals _pending;
    private readonly Reporter _reporter;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<string> _answers;
    private readonly Dictionary<string, DateTimeOffset> _toldUntil = new(StringComparer.Ordinal);

    public PendingCommand(PendingApprovals pending, Reporter reporter, TimeProvider time)
    {
        _pending = pending;
        _reporter = reporter;
        _time = time;
        _answers = PartitionedRateLimiter.Create<string, string>(person => RateLimitPartition.GetTokenBucketLimiter(person, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = PerPersonPerMinute,
            TokensPerPeriod = PerPersonPerMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);
    }

    /// <returns>True when the text was the <c>pending</c> command (and has been answered).</returns>
    public async Task<bool> TryHandleAsync(GoalPosted message, CancellationToken cancellationToken)
    {
        var words = message.Text.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words[0].ToLowerInvariant() is not ("pending" or "/pending"))
            return false;
        var argument = words.Length > 1 ? words[1].Trim() : null;
        if (argument is not null && !NamesSomeone(argument))
            return false;

        NoticeView? refusal = argument is not null
            ? new NoticeView($"{message.Requester.Name}, `pending` lists only what waits for you: I cannot list someone else's approvals.",
                ["Ask `pending` on its own. (To ask for a plan that starts with that word, put it differently.)"], NoticeTone.Warning)
            : Limit(message.Requester);
        if (refusal is not null)
        {
            if (refusal.Title.Length > 0)
                await _reporter.PostNoticeAsync(message.Conversation, refusal, cancellationToken);
            return true;
        }
        await AnswerAsync(message, cancellationToken);
        return true;
    }

    public void Dispose() => _answers.Dispose();

    private async Task AnswerAsync(GoalPosted message, CancellationToken cancellationToken)
    {
        var where = message.Conversation;
        var list = await _pending.ForAsync(message.Requester, where, MaxCards, cancellationToken);
        var lines = list.Items.Select(i => Line(i, where)).ToList();
        if (list.More > 0)
            lines.Add($"…and {list.More} more: decide on these, then ask again.");
        // The same words whatever waits elsewhere, so a shared conversation learns nothing from them.
        if (!where.IsDirect)
            lines.Add("Plans waiting for you in other conversations are listed only in a direct chat with me.");
        var title = list.Items.Count == 0
            ? $"{message.Requester.Name}, nothing is waiting for your approval {(where.IsDirect ? "that you can act on from here" : "in this conversation")}."
            : $"{message.Requester.Name}, {list.Items.Count + list.More} waiting for your approval, newest first:";
        await _reporter.PostNoticeAsync(where, new NoticeView(title, lines, NoticeTone.Info), cancellationToken);

        // Keyed by the message that asked: handling the same message again posts nothing twice.
        var asked = message.SourceKey ?? Guid.NewGuid().ToString("N");
        foreach (var item in list.Items)
            await _reporter.PostCardCopyAsync(item.Run, where, $"pending:{asked}:{item.Run.Id}", item.Card, cancellationToken);
    }

    /// <summary>A mention (<c>@name</c>, Slack's <c>&lt;@U…&gt;</c>, Teams' <c>&lt;at&gt;…&lt;/at&gt;</c>), a name after "for", or one bare word.</summary>
    private static bool NamesSomeone(string argument) =>
        argument.StartsWith('@') || argument.StartsWith("<@", StringComparison.Ordinal) || argument.StartsWith("<at>", StringComparison.OrdinalIgnoreCase)
        || argument.StartsWith("for ", StringComparison.OrdinalIgnoreCase)
        || !argument.Contains(' ', StringComparison.Ordinal);

    private NoticeView? Limit(Member asker)
    {
        var person = PersonKey.Of(asker);
        using var lease = _answers.AttemptAcquire(person);
        if (lease.IsAcquired)
            return null;
        var now = _time.GetUtcNow();
        lock (_toldUntil)
        {
            if (_toldUntil.TryGetValue(person, out var told) && told > now)
                return GoalLimits.Silent;
            if (_toldUntil.Count > 10_000)
                _toldUntil.Clear();
            _toldUntil[person] = now + TimeSpan.FromMinutes(1);
        }
        return new NoticeView($"{asker.Name}, you asked for your approvals {PerPersonPerMinute} times in the last minute; the cards above are current.",
            ["Ask again in a minute."], NoticeTone.Warning);
    }

    private static string Line(PendingItem item, ConversationKey where)
    {
        var run = item.Run;
        var what = item.Card is DecisionCardView step ? $"step {step.StepId}: did it happen?" : $"plan v{run.PlanVersion}, {run.RiskLevel?.ToWire() ?? "?"}";
        var place = run.Conversation.IsSameConversationAs(where) ? "here" : "in another conversation";
        var until = run.ExpiresAt is { } expires ? $", until {expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}" : "";
        return $"• {TextExcerpt.Truncate(run.Goal.ReplaceLineEndings(" "), 80)} — {what}, asked by {run.Requester.Name} {place}{until} (run {run.Id[..12]})";
    }
}
