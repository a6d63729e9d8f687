using System.Globalization;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Approvals;

/// <summary>
/// Approval deadlines kept in the store, so they survive restarts: plans past their window expire
/// (and their card says so); approvers are reminded once shortly before.
/// </summary>
public sealed class ApprovalTimers(
    IRunStore runs,
    IRunReminders reminders,
    RunJournal journal,
    Reporter reporter,
    ITraceSink traces,
    TimeProvider time,
    IOptions<ApprovalOptions> options,
    ILogger<ApprovalTimers> logger)
{
    // A card refresh is queued right after what changed the card; one not queued a few seconds later was lost with its process.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LookBack = TimeSpan.FromDays(1);
    private const int RepairsPerSweep = 50;

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await journal.ExpireOverdueAsync(now, cancellationToken);
        await RefreshCardsBehindAsync(now, cancellationToken);

        if (options.Value.ReminderBefore <= TimeSpan.Zero)
            return;
        foreach (var runId in await reminders.TakeDueRemindersAsync(now, options.Value.ReminderBefore, cancellationToken))
        {
            if (await runs.GetAsync(runId, cancellationToken) is not { } run || run.Approval is null)
                continue;
            logger.Reminded(runId);
            await traces.ExecutionAsync(runId, TraceTypes.ApprovalReminded, null, null, null, cancellationToken);
            var expires = run.ExpiresAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            var goal = TextExcerpt.Truncate(run.Goal, 120);
            await reporter.PostNoticeAsync(run.Conversation, new NoticeView(
                run.Status == RunStatus.AwaitingDecision
                    ? $"Reminder: the run for \"{goal}\" is waiting for someone to say what happened to a step whose outcome is unknown; it is stopped at {expires} otherwise."
                    : $"Reminder: the plan for \"{goal}\" is still waiting for approval and expires at {expires}.",
                ["Who may approve: " + ApprovalRules.Describe(run.Approval, run.Requester)],
                NoticeTone.Info,
                run.Id), cancellationToken);
        }
    }

    /// <summary>
    /// A move or a decision queues its card refresh in its own transaction, but other changes a card shows (a step's
    /// result, a revision that continues within the envelope) are queued after the write that made them: a process
    /// stopped between the two left the card showing the old state for good (the chaos harness's soak found 186 in 15
    /// minutes). The sweep queues what those runs missed: the card of the current plan version if it was never posted
    /// (a keyed post, so nothing if it was), then its refresh.
    /// </summary>
    private async Task RefreshCardsBehindAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var runId in await reminders.CardsBehindAsync(now - LookBack, now - Settle, RepairsPerSweep, cancellationToken))
        {
            if (await runs.GetAsync(runId, cancellationToken) is { PlanVersion: > 0 } run)
            {
                logger.CardBehind(runId);
                await reporter.PostPlanCardAsync(run, cancellationToken);
                await reporter.RefreshCardAsync(run, cancellationToken);
            }
        }
    }
}
