using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;

namespace BotAgent.Core.Approvals;

/// <summary>
/// The plans and step decisions waiting for one person's approval: exactly those a click of theirs, from where they ask,
/// would count for (<see cref="DecisionRights"/>, the same rules the gates apply). So a plan is listed in its own
/// conversation, or, for a named approver, in a 1:1 chat with the bot on the run's channel; a step decision only in its
/// own conversation. Nothing from a conversation the asker cannot act from is listed, not even that it exists.
/// </summary>
public sealed class PendingApprovals(IRunQueries queries, IRunStore runs, IStepAttemptStore attempts, DecisionRights rights, TimeProvider time)
{
    // Waiting runs are few (each conversation keeps a handful waiting, and they expire): the newest this many are looked at.
    private const int Scan = 500;
    private const int Page = 100;

    public async Task<PendingList> ForAsync(Member asker, ConversationKey where, int max, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = new List<PendingItem>();
        foreach (var status in new[] { RunStatus.AwaitingApproval, RunStatus.AwaitingDecision })
        {
            for (var offset = 0; offset < Scan; offset += Page)
            {
                var page = await queries.ListRunsAsync(new RunQuery(Status: status, Offset: offset, Limit: Page), cancellationToken);
                foreach (var run in page)
                {
                    if (await WaitingForAsync(run, asker, where, now, cancellationToken) is { } item)
                        found.Add(item);
                }
                if (page.Count < Page)
                    break;
            }
        }
        var newest = found.OrderByDescending(i => i.Run.CreatedAt).ThenByDescending(i => i.Run.Id, StringComparer.Ordinal).ToList();
        return new PendingList([.. newest.Take(max)], Math.Max(0, newest.Count - max));
    }

    private async Task<PendingItem?> WaitingForAsync(Run run, Member asker, ConversationKey where, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The place comes first: a run that may not be shown here is not read any further.
        var mayActHere = run.Status == RunStatus.AwaitingApproval
            ? DecisionRights.MayActOnPlanFrom(run, asker, where)
            : run.Conversation.IsSameConversationAs(where);
        if (!mayActHere || run.ExpiresAt is { } expires && now >= expires || rights.WhyNotApprove(run, asker) is not null)
            return null;

        if (run.Status == RunStatus.AwaitingApproval)
        {
            // Someone who has already decided on this version is not waited for (a quorum waits for others).
            var decisions = await runs.GetDecisionsAsync(run.Id, cancellationToken);
            var decided = decisions.Any(d => d.PlanVersion == run.PlanVersion
                && string.Equals(d.Approver.Id, asker.Id, StringComparison.OrdinalIgnoreCase));
            return decided ? null : new PendingItem(run, new PlanCardReference(run.Id, run.PlanVersion));
        }
        var unknown = (await attempts.ListAsync(run.Id, cancellationToken)).LastOrDefault(a => a.State == StepState.OutcomeUnknown);
        if (unknown is null)
            return null;
        // The same card DecisionRequest posted in the thread, so the buttons carry what the step gate checks.
        var step = (await runs.GetPlanAsync(run.Id, unknown.PlanVersion, cancellationToken))?.Plan.Steps.FirstOrDefault(s => s.Id == unknown.StepId);
        return new PendingItem(run, new DecisionCardView(
            run.Id, run.PlanHash ?? "", unknown.Id, unknown.StepIndex + 1, unknown.StepId, step?.Title ?? unknown.Tool, unknown.Tool,
            step is null ? TextExcerpt.Truncate(unknown.ArgsJson, 160) : TextExcerpt.Arguments(step.Args),
            ApprovalRules.Describe(run.Approval!, run.Requester), AcceptsDecisions: true, ResolvedText: null));
    }
}
