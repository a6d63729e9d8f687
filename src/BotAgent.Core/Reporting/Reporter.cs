using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Runs;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Reporting;

/// <summary>
/// Keeps the thread current: posts the plan card and keeps it updated in place, posts step results and
/// the summary as replies. It only writes to the outbox; the dispatcher delivers.
/// </summary>
public sealed class Reporter(
    IOutbox outbox,
    WorkSignals signals,
    TimeProvider time,
    IOptions<ReportingOptions> options)
{
    /// <summary>Every plan card's message key starts so (approvers' 1:1 copies too): the store finds them by it.</summary>
    public const string CardKeyPrefix = "card:";

    /// <summary>The answer to a goal that got no plan card (it could not be planned, or policy refused it) is keyed so.</summary>
    public const string AnswerKeyPrefix = "answer:";

    /// <summary>Each plan version has its own card; the first keeps the plain key.</summary>
    public static string CardKey(string runId, int version = 1) => version <= 1 ? CardKeyPrefix + runId : $"{CardKeyPrefix}{runId}:v{version}";

    public static string AnswerKey(string runId) => AnswerKeyPrefix + runId;

    /// <summary>Every "did this step happen?" card's message key starts so.</summary>
    public const string DecisionKeyPrefix = "decision:";

    /// <summary>
    /// A post without which people cannot act or see nothing at all (a plan card, a "did this step happen?" card, the
    /// answer to a goal that got no card): the one kind of message sent again when it may not have arrived
    /// (IOutbox.SendAgainAsync). The keys it goes by are <see cref="MustArriveKeyPrefixes"/>.
    /// </summary>
    public static bool MustArrive(OutboundKind kind, string? messageKey) =>
        kind == OutboundKind.Post && messageKey is not null
        && MustArriveKeyPrefixes.Any(prefix => messageKey.StartsWith(prefix, StringComparison.Ordinal));

    public static readonly IReadOnlyList<string> MustArriveKeyPrefixes = [CardKeyPrefix, DecisionKeyPrefix, AnswerKeyPrefix];

    public static string DecisionKey(string runId, long attemptId) => $"{DecisionKeyPrefix}{runId}:{attemptId}";

    /// <summary>Queues the plan card of the run's current version (and approvers' 1:1 copies).</summary>
    public Task PostPlanCardAsync(Run run, CancellationToken cancellationToken) => EnqueueAsync(PlanCardPosts(run), cancellationToken);

    /// <summary>
    /// The posts of the run's current plan card: a reference to the version, rendered from the store when it is sent.
    /// Pure, so a move can queue them in its own transaction (<see cref="IRunTransitions"/>).
    /// </summary>
    public static IReadOnlyList<OutboundMessage> PlanCardPosts(Run run)
    {
        if (run.PlanVersion <= 0)
            throw new InvalidOperationException($"Run {run.Id} has no plan to show.");
        var card = new PlanCardReference(run.Id, run.PlanVersion);
        var key = CardKey(run.Id, run.PlanVersion);
        List<OutboundMessage> posts = [new(run.Id, run.Conversation, OutboundKind.Post, key, card)];

        // Named approvers (high risk) may not be in this conversation: each also gets the card in a 1:1 chat,
        // where the channel can create one. Their clicks there count like clicks in the thread.
        if (run.Status == RunStatus.AwaitingApproval && run.Approval?.Approvers is { Count: > 0 } approvers)
        {
            // Only people the run's own channel can reach: a Slack entry gets no Teams chat, an e-mail address no chat at all.
            var reachable = approvers.Where(a => !run.Requester.IsIdentifiedBy(a))
                .Select(a => Approvals.ApproverEntry.Parse(a).DirectAddress(run.Conversation.Adapter))
                .OfType<string>()
                .Distinct(StringComparer.OrdinalIgnoreCase);
            posts.AddRange(reachable.Select(approver =>
                new OutboundMessage(run.Id, run.Conversation.DirectWith(approver), OutboundKind.Post, $"{key}:to:{approver}", card)));
        }
        return posts;
    }

    /// <summary>
    /// A copy of a run's card in another thread (an answer to <c>pending</c>), under its own key: a plan card is rendered
    /// from the store when it is sent, and never updated afterwards. A click on it takes the one decision path, which
    /// answers a click on a card that has moved on with the run's current state.
    /// </summary>
    public Task PostCardCopyAsync(Run run, ConversationKey where, string messageKey, OutboundView card, CancellationToken cancellationToken) =>
        EnqueueAsync([new OutboundMessage(run.Id, where, OutboundKind.Post, messageKey, card)], cancellationToken);

    /// <summary>Queues an in-place update of the card, rendered from the store when it is sent.</summary>
    public Task RefreshCardAsync(Run run, CancellationToken cancellationToken, int? version = null) =>
        EnqueueAsync(CardRefresh(run, version), cancellationToken);

    /// <summary>The update of a plan card (the run's current version unless <paramref name="version"/>); none before there is a plan.</summary>
    public static IReadOnlyList<OutboundMessage> CardRefresh(Run run, int? version = null) =>
        (version ?? run.PlanVersion) is var shown && shown > 0
            ? [new OutboundMessage(run.Id, run.Conversation, OutboundKind.Update, CardKey(run.Id, shown), new PlanCardReference(run.Id, shown))]
            : [];

    public Task PostStepResultAsync(Run run, StepResult result, CancellationToken cancellationToken)
    {
        var excerpt = result.Output is null ? null : TextExcerpt.Truncate(result.Output, options.Value.MaxOutputChars);
        var view = new StepResultView(
            run.Id, result.Index + 1, result.StepId, result.Title, result.Tool, result.State, result.Summary,
            excerpt, result.Error is null ? null : TextExcerpt.Truncate(result.Error, 500),
            result.Attempts, (long)result.Duration.TotalMilliseconds, result.Facts ?? []);
        // Keyed: a resumed run that reports the step again posts nothing twice.
        return EnqueueAsync([new OutboundMessage(run.Id, run.Conversation, OutboundKind.Post, $"step:{run.Id}:{run.PlanVersion}:{result.StepId}", view)], cancellationToken);
    }

    /// <summary>The run's closing summary, once per plan version; queued by the run's end in the same transaction (RunJournal).</summary>
    public static OutboundMessage SummaryPost(Run run, RunStatus status, string text, IReadOnlyList<string> evidence, GoalVerdict? goal = null) =>
        new(run.Id, run.Conversation, OutboundKind.Post, $"summary:{run.Id}:{run.PlanVersion}", new RunSummaryView(run.Id, run.Goal, status, text, evidence, goal));

    /// <summary>The card asking what happened to a step whose outcome is unknown (or, once decided, its update).</summary>
    public static OutboundMessage DecisionCard(Run run, DecisionCardView view, bool update) =>
        new(run.Id, run.Conversation, update ? OutboundKind.Update : OutboundKind.Post, DecisionKey(run.Id, view.AttemptId), view);

    /// <summary>Shows that the bot is working on the run (a typing indicator where the channel has one); never a message.</summary>
    public Task ShowProgressAsync(Run run, string text, CancellationToken cancellationToken) =>
        EnqueueAsync([new OutboundMessage(run.Id, run.Conversation, OutboundKind.Progress, "progress:" + run.Id, new ProgressView(run.Id, text))], cancellationToken);

    /// <param name="messageKey">Posts the notice at most once under this key (e.g. one welcome per conversation).</param>
    public Task PostNoticeAsync(ConversationKey conversation, NoticeView notice, CancellationToken cancellationToken, string? messageKey = null) =>
        EnqueueAsync([Notice(conversation, notice, messageKey)], cancellationToken);

    public static OutboundMessage Notice(ConversationKey conversation, NoticeView notice, string? messageKey = null) =>
        new(notice.RunId, conversation, OutboundKind.Post, messageKey, notice);

    private async Task EnqueueAsync(IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
            await outbox.EnqueueAsync(message, time.GetUtcNow(), cancellationToken);
        if (messages.Count > 0)
            signals.Outbox.Set();
    }
}
