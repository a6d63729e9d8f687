using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Execution;

/// <summary>
/// Stops a run at a step whose outcome is unknown (a write that may have happened) and asks the people who may
/// approve the plan what happened, on a decision card with a deadline of its own.
/// </summary>
public sealed class DecisionRequest(RunJournal journal, TimeProvider time, IOptions<ApprovalOptions> approvals)
{
    public Task AskAsync(Run run, PlanVersion plan, int index, long attemptId, CancellationToken cancellationToken)
    {
        var step = plan.Plan.Steps[index];
        // The decision gets a deadline of its own (the approval window): nobody deciding stops the run then.
        return journal.MoveAsync(new RunMove(run.Id, RunStatus.Running, RunStatus.AwaitingDecision,
            new RunChanges(Outcome: $"the outcome of step {step.Id} is unknown", ExpiresAt: time.GetUtcNow() + approvals.Value.Expiry),
            new RunTrace(TraceTypes.DecisionRequested, new JsonObject { ["attemptId"] = attemptId }, step.Id),
            current => [Reporter.DecisionCard(current, new DecisionCardView(
                run.Id, plan.Hash, attemptId, index + 1, step.Id, step.Title, step.Tool, TextExcerpt.Arguments(step.Args),
                current.Approval is null ? "" : ApprovalRules.Describe(current.Approval, current.Requester),
                AcceptsDecisions: true, ResolvedText: null), update: false)]), cancellationToken);
    }
}
