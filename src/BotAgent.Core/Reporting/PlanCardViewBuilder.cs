using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Reporting;

/// <summary>Builds a run's plan card from the store, so any instance renders the same card at any time.</summary>
public sealed class PlanCardViewBuilder(IRunStore runs, IStepAttemptStore attempts, IOptions<TraceLinkOptions> links)
{
    /// <param name="version">The plan version the card shows; the run's current one by default. An older
    /// version's card says it was replaced and offers no buttons.</param>
    public async Task<PlanCardView?> BuildAsync(string runId, CancellationToken cancellationToken, int? version = null)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        if (run is null || run.PlanVersion == 0)
            return null;
        var plan = await runs.GetPlanAsync(runId, version ?? run.PlanVersion, cancellationToken);
        if (plan is null)
            return null;
        var superseded = plan.Version < run.PlanVersion;

        var decisions = await runs.GetDecisionsAsync(runId, cancellationToken);
        var ledger = await attempts.ListAsync(runId, cancellationToken);
        var steps = new List<StepView>(plan.Plan.Steps.Count);
        for (var i = 0; i < plan.Plan.Steps.Count; i++)
        {
            var step = plan.Plan.Steps[i];
            var last = ledger.Where(a => a.StepId == step.Id && a.PlanVersion == plan.Version).MaxBy(a => a.Attempt);
            var state = last?.State ?? (run.Status.IsFinished() && run.Status != RunStatus.Succeeded ? StepState.Skipped : StepState.Pending);
            if (last is null && run.Status is RunStatus.Rejected or RunStatus.Expired or RunStatus.PolicyDenied)
                state = StepState.Skipped;
            steps.Add(new StepView(i + 1, step.Id, step.Title, step.Tool, TextExcerpt.Arguments(step.Args), step.Risk, state, last?.Summary));
        }

        var decisionViews = decisions
            .Where(d => d.PlanVersion == plan.Version)
            .Select(d => new DecisionView(d.Approver.Name, d.Verb == ApprovalVerb.Approve ? "approved" : "rejected", d.DecidedAt))
            .ToList();

        var requirement = run.Approval;
        IReadOnlyList<string>? changes = null;
        if (plan.Version > 1 && await runs.GetPlanAsync(runId, plan.Version - 1, cancellationToken) is { } previous)
        {
            var done = ledger.Where(a => a.PlanVersion == previous.Version && a.State == StepState.Succeeded).Select(a => a.StepId).ToHashSet(StringComparer.Ordinal);
            changes = Observation.PlanDiff.Compare(previous.Plan, plan.Plan, done);
        }
        return new PlanCardView(
            run.Id,
            plan.Hash,
            plan.Version,
            plan.Plan.Goal,
            run.Requester.Name,
            run.Status,
            run.RiskLevel ?? plan.Plan.RiskLevel,
            plan.Plan.SuccessCriteria,
            requirement is null ? "" : ApprovalRules.Describe(requirement, run.Requester),
            steps,
            decisionViews,
            superseded ? $"Replaced by plan v{run.PlanVersion}" : StatusLine(run, decisionViews, requirement),
            !superseded && run.Status == RunStatus.AwaitingApproval,
            run.ExpiresAt,
            requirement?.Approvers ?? [],
            changes,
            links.Value.RunUrl(run.Id));
    }

    private static string StatusLine(Run run, IReadOnlyList<DecisionView> decisions, ApprovalRequirement? requirement)
    {
        var approvedBy = string.Join(", ", decisions.Where(d => d.Verb == "approved").Select(d => d.Name));
        var rejectedBy = string.Join(", ", decisions.Where(d => d.Verb == "rejected").Select(d => d.Name));
        return run.Status switch
        {
            RunStatus.AwaitingApproval when approvedBy.Length > 0 && requirement is not null =>
                $"Approved by {approvedBy}; waiting for {requirement.Quorum - decisions.Count(d => d.Verb == "approved")} more approval(s)",
            RunStatus.AwaitingApproval => "Waiting for approval",
            RunStatus.Approved => $"Approved by {approvedBy}; starting",
            RunStatus.Running => $"Approved by {approvedBy}; running",
            RunStatus.Succeeded => $"Approved by {approvedBy}; succeeded",
            RunStatus.Failed => $"Approved by {approvedBy}; failed{(run.Outcome is null ? "" : ": " + run.Outcome)}",
            RunStatus.Rejected => $"Rejected by {rejectedBy}; nothing was run",
            RunStatus.Expired => "Expired before it was approved; nothing was run",
            RunStatus.Cancelled => "Cancelled" + (run.Outcome is null ? "" : ": " + run.Outcome),
            RunStatus.PolicyDenied => "Refused by policy; nothing was run",
            _ => run.Status.ToWire(),
        };
    }
}
