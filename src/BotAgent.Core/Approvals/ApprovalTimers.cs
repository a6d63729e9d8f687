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
    Reporter reporter,
    ITraceSink traces,
    TimeProvider time,
    IOptions<ApprovalOptions> options,
    ILogger<ApprovalTimers> logger)
{
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var runId in await runs.ExpireOverdueAsync(now, cancellationToken))
        {
            logger.RunExpired(runId);
            await traces.ExecutionAsync(runId, TraceTypes.RunExpired, null, null, null, cancellationToken);
            if (await runs.GetAsync(runId, cancellationToken) is { } run)
                await reporter.RefreshCardAsync(run, cancellationToken);
        }

        if (options.Value.ReminderBefore <= TimeSpan.Zero)
            return;
        foreach (var runId in await runs.TakeDueRemindersAsync(now, options.Value.ReminderBefore, cancellationToken))
        {
            if (await runs.GetAsync(runId, cancellationToken) is not { } run || run.Approval is null)
                continue;
            logger.Reminded(runId);
            await traces.ExecutionAsync(runId, TraceTypes.ApprovalReminded, null, null, null, cancellationToken);
            var expires = run.ExpiresAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            await reporter.PostNoticeAsync(run.Conversation, new NoticeView(
                $"Reminder: the plan for \"{TextExcerpt.Truncate(run.Goal, 120)}\" is still waiting for approval and expires at {expires}.",
                ["Who may approve: " + ApprovalRules.Describe(run.Approval, run.Requester)],
                NoticeTone.Info,
                run.Id), cancellationToken);
        }
    }
}
