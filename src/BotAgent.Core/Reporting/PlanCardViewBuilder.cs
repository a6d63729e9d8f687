using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Policy;
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
            // A finished run's steps that never ran were skipped: the plan failed before them, nobody approved it, or
            // the goal was decided early.
            var state = last?.State ?? (run.Status.IsFinished() ? StepState.Skipped : StepState.Pending);
            steps.Add(new StepView(i + 1, step.Id, step.Title, step.Tool, TextExcerpt.Arguments(step.Args), step.Risk, state, last?.Summary,
                step.Targets is { Count: > 0 } targets ? string.Join(", ", targets) : null,
                step.Expect is { } expect ? Observation.ExpectationCheck.Describe(expect) : null));
        }

        var decisionViews = decisions
            .Where(d => d.PlanVersion == plan.Version)
            .Select(d => new DecisionView(d.Approver.Name, d.Verb == ApprovalVerb.Approve ? "approved" : "rejected", d.DecidedAt))
            .ToList();
        // The version whose approval this one runs under: itself, or an earlier one whose envelope a revision stayed inside.
        var approvedVersion = ApprovedVersion.Latest(decisions, plan.Version);
        var approvedBy = string.Join(", ", ApprovedVersion.Approvers(decisions, approvedVersion));

        var requirement = run.Approval;
        IReadOnlyList<string>? changes = null;
        if (plan.Version > 1 && await runs.GetPlanAsync(runId, plan.Version - 1, cancellationToken) is { } previous)
        {
            var done = ledger.Where(a => a.PlanVersion == previous.Version && a.State == StepState.Succeeded).Select(a => a.StepId).ToHashSet(StringComparer.Ordinal);
            changes = Observation.PlanDiff.Compare(previous.Plan, plan.Plan, done);
        }
        IReadOnlyList<string>? outside = null;
        var waiting = !superseded && run.Status == RunStatus.AwaitingApproval;
        // A revision waiting for people is measured against the last version that ran, even once some have approved it.
        var ranUnder = ApprovedVersion.Latest(decisions, plan.Version - 1);
        if (waiting && ranUnder > 0 && await runs.GetPlanAsync(runId, ranUnder, cancellationToken) is { } approved)
        {
            var attempted = ledger.Select(a => CallKey.Of(a.Tool, a.ArgsJson)).ToList();
            var since = ledger.Where(a => a.PlanVersion >= ranUnder).Select(a => CallKey.Of(a.Tool, a.ArgsJson)).ToList();
            outside = [.. EnvelopeCheck.Revision(approved.Plan, plan.Plan, attempted, since).Concat(EnvelopeCheck.Widening(approved.Plan, plan.Plan.Envelope))
                .Select(p => $"Outside what was approved on v{ranUnder}: {p}")];
        }

        var status = superseded ? $"Replaced by plan v{run.PlanVersion}" : StatusLine(run, decisionViews, requirement, plan.Version, approvedVersion, approvedBy);
        if (!superseded && run.Activity is { Length: > 0 } activity && run.Status == RunStatus.Running)
            status += " · " + activity;
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
            status,
            waiting,
            run.ExpiresAt,
            requirement?.Approvers ?? [],
            changes,
            links.Value.RunUrl(run.Id),
            EnvelopeText.Describe(plan.Plan.Envelope, complete: waiting),
            outside,
            superseded ? null : run.GoalVerdict);
    }

    /// <remarks>A card never says "approved by" someone for a version they did not see: a revision that continued
    /// inside an earlier version's envelope says whose approval it runs under.</remarks>
    private static string StatusLine(Run run, IReadOnlyList<DecisionView> decisions, ApprovalRequirement? requirement, int version, int approvedVersion, string approvedBy)
    {
        var rejectedBy = string.Join(", ", decisions.Where(d => d.Verb == "rejected").Select(d => d.Name));
        var approved = approvedVersion == version || approvedVersion == 0
            ? $"Approved by {approvedBy}"
            : $"Within the envelope approved by {approvedBy} on v{approvedVersion}";
        return run.Status switch
        {
            RunStatus.AwaitingApproval when decisions.Any(d => d.Verb == "approved") && requirement is not null =>
                $"Approved by {string.Join(", ", decisions.Where(d => d.Verb == "approved").Select(d => d.Name))}; waiting for {requirement.Quorum - decisions.Count(d => d.Verb == "approved")} more approval(s)",
            RunStatus.AwaitingApproval => "Waiting for approval",
            RunStatus.Approved => $"{approved}; starting",
            RunStatus.Running => $"{approved}; running",
            RunStatus.AwaitingDecision => $"{approved}; waiting for a decision",
            RunStatus.Succeeded => $"{approved}; succeeded",
            RunStatus.Failed => $"{approved}; failed{(run.Outcome is null ? "" : ": " + run.Outcome)}",
            RunStatus.Rejected => $"Rejected by {rejectedBy}; nothing was run",
            RunStatus.Expired => "Expired before it was approved; nothing was run",
            RunStatus.Cancelled => "Cancelled" + (run.Outcome is null ? "" : ": " + run.Outcome),
            RunStatus.PolicyDenied => "Refused by policy; nothing was run",
            _ => run.Status.ToWire(),
        };
    }
}
