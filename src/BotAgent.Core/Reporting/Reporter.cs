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
    PlanCardViewBuilder cards,
    WorkSignals signals,
    TimeProvider time,
    IOptions<ReportingOptions> options)
{
    /// <summary>Each plan version has its own card; the first keeps the plain key.</summary>
    /// <summary>Every plan card's message key starts so (approvers' 1:1 copies too): the store finds them by it.</summary>
    public const string CardKeyPrefix = "card:";

    public static string CardKey(string runId, int version = 1) => version <= 1 ? CardKeyPrefix + runId : $"{CardKeyPrefix}{runId}:v{version}";

    /// <summary>A post of a plan card: the one message sent again when it may not have arrived (IOutbox.SendAgainAsync).</summary>
    public static bool IsPlanCardPost(OutboundKind kind, string? messageKey) =>
        kind == OutboundKind.Post && messageKey?.StartsWith(CardKeyPrefix, StringComparison.Ordinal) == true;

    public static string DecisionKey(string runId, long attemptId) => $"decision:{runId}:{attemptId}";

    public async Task PostPlanCardAsync(Run run, CancellationToken cancellationToken)
    {
        // Rendered here only to pin the version the card shows (and refuse a run with no plan); the outbox keeps a
        // reference, and what people see is rendered from the store when it is sent.
        var view = await cards.BuildAsync(run.Id, cancellationToken)
            ?? throw new InvalidOperationException($"Run {run.Id} has no plan to show.");
        var card = new PlanCardReference(run.Id, view.PlanVersion);
        await EnqueueAsync(new OutboundMessage(run.Id, run.Conversation, OutboundKind.Post, CardKey(run.Id, view.PlanVersion), card), cancellationToken);

        // Named approvers (high risk) may not be in this conversation: each also gets the card in a 1:1 chat,
        // where the channel can create one. Their clicks there count like clicks in the thread.
        if (run.Status == RunStatus.AwaitingApproval && run.Approval?.Approvers is { Count: > 0 } approvers)
        {
            // Only people the run's own channel can reach: a Slack entry gets no Teams chat, an e-mail address no chat at all.
            var reachable = approvers.Where(a => !run.Requester.IsIdentifiedBy(a))
                .Select(a => Approvals.ApproverEntry.Parse(a).DirectAddress(run.Conversation.Adapter))
                .OfType<string>()
                .Distinct(StringComparer.OrdinalIgnoreCase);
            foreach (var approver in reachable)
            {
                await EnqueueAsync(new OutboundMessage(run.Id, run.Conversation.DirectWith(approver), OutboundKind.Post,
                    $"{CardKey(run.Id, view.PlanVersion)}:to:{approver}", card), cancellationToken);
            }
        }
    }

    /// <summary>
    /// A copy of a run's card in another thread (an answer to <c>pending</c>), under its own key: a plan card is rendered
    /// from the store when it is sent, and never updated afterwards. A click on it takes the one decision path, which
    /// answers a click on a card that has moved on with the run's current state.
    /// </summary>
    public Task PostCardCopyAsync(Run run, ConversationKey where, string messageKey, OutboundView card, CancellationToken cancellationToken) =>
        EnqueueAsync(new OutboundMessage(run.Id, where, OutboundKind.Post, messageKey, card), cancellationToken);

    /// <summary>Queues an in-place update of the card, rendered from the store when it is sent.</summary>
    public async Task RefreshCardAsync(Run run, CancellationToken cancellationToken, int? version = null)
    {
        var view = await cards.BuildAsync(run.Id, cancellationToken, version);
        if (view is not null)
        {
            await EnqueueAsync(new OutboundMessage(run.Id, run.Conversation, OutboundKind.Update, CardKey(run.Id, view.PlanVersion),
                new PlanCardReference(run.Id, view.PlanVersion)), cancellationToken);
        }
    }

    public Task PostStepResultAsync(Run run, StepResult result, CancellationToken cancellationToken)
    {
        var excerpt = result.Output is null ? null : TextExcerpt.Truncate(result.Output, options.Value.MaxOutputChars);
        var view = new StepResultView(
            run.Id, result.Index + 1, result.StepId, result.Title, result.Tool, result.State, result.Summary,
            excerpt, result.Error is null ? null : TextExcerpt.Truncate(result.Error, 500),
            result.Attempts, (long)result.Duration.TotalMilliseconds, result.Facts ?? []);
        // Keyed: a resumed run that reports the step again posts nothing twice.
        return EnqueueAsync(new OutboundMessage(run.Id, run.Conversation, OutboundKind.Post, $"step:{run.Id}:{run.PlanVersion}:{result.StepId}", view), cancellationToken);
    }

    public Task PostSummaryAsync(Run run, RunStatus status, string text, IReadOnlyList<string> evidence, CancellationToken cancellationToken) =>
        PostSummaryAsync(run, status, text, evidence, null, cancellationToken);

    public Task PostSummaryAsync(Run run, RunStatus status, string text, IReadOnlyList<string> evidence, GoalVerdict? goal, CancellationToken cancellationToken) =>
        EnqueueAsync(new OutboundMessage(run.Id, run.Conversation, OutboundKind.Post, $"summary:{run.Id}:{run.PlanVersion}",
            new RunSummaryView(run.Id, run.Goal, status, text, evidence, goal)), cancellationToken);

    /// <summary>Posts (or, once decided, updates) the card asking what happened to a step whose outcome is unknown.</summary>
    public Task PostDecisionCardAsync(Run run, DecisionCardView view, bool update, CancellationToken cancellationToken) =>
        EnqueueAsync(new OutboundMessage(run.Id, run.Conversation, update ? OutboundKind.Update : OutboundKind.Post,
            DecisionKey(run.Id, view.AttemptId), view), cancellationToken);

    /// <summary>Shows that the bot is working on the run (a typing indicator where the channel has one); never a message.</summary>
    public Task ShowProgressAsync(Run run, string text, CancellationToken cancellationToken) =>
        EnqueueAsync(new OutboundMessage(run.Id, run.Conversation, OutboundKind.Progress, "progress:" + run.Id, new ProgressView(run.Id, text)), cancellationToken);

    /// <param name="messageKey">Posts the notice at most once under this key (e.g. one welcome per conversation).</param>
    public Task PostNoticeAsync(ConversationKey conversation, NoticeView notice, CancellationToken cancellationToken, string? messageKey = null) =>
        EnqueueAsync(new OutboundMessage(notice.RunId, conversation, OutboundKind.Post, messageKey, notice), cancellationToken);

    private async Task EnqueueAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        await outbox.EnqueueAsync(message, time.GetUtcNow(), cancellationToken);
        signals.Outbox.Set();
    }
}
