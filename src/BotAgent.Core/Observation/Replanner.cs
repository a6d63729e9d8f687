using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Policy;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Observation;

/// <summary>
/// Plan → execute → observe → re-plan: after a failed step the planner is asked for a revised plan with
/// the observations so far. Every revision passes policy again (so an instruction injected into a tool's
/// output cannot make anything run), and one that adds writes or raises the risk goes back for approval.
/// </summary>
public sealed class Replanner(
    IRunStore runs,
    IPlanner planner,
    PlanPolicy policy,
    ToolCatalogue tools,
    Reporter reporter,
    ITraceSink traces,
    TimeProvider time,
    IOptions<PlannerOptions> plannerOptions,
    IOptions<ApprovalOptions> approvalOptions)
{
    public const string Requested = "plan.revision.requested";
    public const string Revised = "plan.revised";
    public const string NotRevised = "plan.not_revised";

    public async Task<Revision> ReviseAsync(Run run, PlanVersion current, IReadOnlyList<StepResult> results, StepResult failed, CancellationToken cancellationToken)
    {
        if (current.Version - 1 >= plannerOptions.Value.MaxRevisions)
            return Revision.NoRevision;
        var reason = $"step {failed.StepId} ({failed.Tool}) {failed.State.ToWire()}: {failed.Summary}";
        await traces.PlanningAsync(run.Id, Requested, new JsonObject { ["fromVersion"] = current.Version, ["reason"] = reason }, cancellationToken);

        var outcome = await planner.ReviseAsync(new RevisionRequest(run.Id, run.Goal, run.Requester, current.Plan, results, reason, tools.Descriptors), cancellationToken);
        if (outcome.Plan is null)
        {
            await traces.PlanningAsync(run.Id, NotRevised, new JsonObject
            {
                ["reason"] = outcome.Reason,
                ["problems"] = new JsonArray([.. (outcome.Problems ?? []).Select(p => (JsonNode?)JsonValue.Create(p))]),
            }, cancellationToken);
            if (outcome.Problems is not { Count: > 0 } problems)
                return Revision.NoRevision;
            // The model proposed something that is not a valid plan (an unknown tool, bad arguments): say so.
            await reporter.PostNoticeAsync(run.Conversation, new NoticeView(
                "The revised plan the model proposed was not valid and was refused; nothing of it was run.", problems, NoticeTone.Warning, run.Id), cancellationToken);
            return new Revision(RevisionKind.Refused, null, "revision refused: " + problems[0]);
        }

        var revised = new PlanVersion(current.Version + 1, PlanDocument.Hash(outcome.Plan), outcome.Plan, outcome.Planner, time.GetUtcNow());
        var verdict = policy.Evaluate(revised.Plan, run.Requester);
        var done = results.Where(r => r.Succeeded).Select(r => r.StepId).ToHashSet(StringComparer.Ordinal);
        var changes = PlanDiff.Compare(current.Plan, revised.Plan, done);
        await traces.PlanningAsync(run.Id, Revised, new JsonObject
        {
            ["version"] = revised.Version,
            ["hash"] = revised.Hash,
            ["planner"] = revised.Planner,
            ["plan"] = JsonNode.Parse(PlanDocument.ToJson(revised.Plan)),
            ["changes"] = new JsonArray([.. changes.Select(c => (JsonNode?)JsonValue.Create(c))]),
            ["allowed"] = verdict.IsAllowed,
            ["violations"] = new JsonArray([.. verdict.Violations.Select(v => (JsonNode?)JsonValue.Create(v))]),
        }, cancellationToken);

        if (!verdict.IsAllowed)
        {
            await reporter.PostNoticeAsync(run.Conversation, new NoticeView(
                "The revised plan was refused by policy; nothing of it was run.", verdict.Violations, NoticeTone.Warning, run.Id), cancellationToken);
            return new Revision(RevisionKind.Refused, revised, "revision refused by policy: " + verdict.Violations[0]);
        }

        await runs.SavePlanAsync(run.Id, revised, cancellationToken);
        if (NeedsApproval(run, current, revised, verdict, results))
        {
            await runs.TransitionAsync(run.Id, RunStatus.Running, RunStatus.AwaitingApproval, new RunChanges(
                Outcome: "a revised plan needs approval",
                ExpiresAt: time.GetUtcNow() + approvalOptions.Value.Expiry,
                RiskLevel: verdict.RiskLevel,
                Approval: verdict.Approval), cancellationToken);
            await traces.ExecutionAsync(run.Id, TraceTypes.ApprovalRequested, null, null, new JsonObject
            {
                ["risk"] = verdict.RiskLevel.ToWire(),
                ["planVersion"] = revised.Version,
            }, cancellationToken);
            var waiting = await runs.GetAsync(run.Id, cancellationToken) ?? run;
            await reporter.RefreshCardAsync(waiting, cancellationToken, current.Version);
            await reporter.PostPlanCardAsync(waiting, cancellationToken);
            return new Revision(RevisionKind.AwaitApproval, revised);
        }

        var continuing = await runs.GetAsync(run.Id, cancellationToken) ?? run;
        await reporter.RefreshCardAsync(continuing, cancellationToken, current.Version);
        await reporter.PostNoticeAsync(run.Conversation, new NoticeView(
            $"I revised the plan (v{revised.Version}) after {reason}. It risks no more than what was approved, so I'm continuing.",
            changes, NoticeTone.Info, run.Id), cancellationToken);
        await reporter.PostPlanCardAsync(continuing, cancellationToken);
        return new Revision(RevisionKind.Continue, revised);
    }

    /// <summary>Approval is needed again when the revision raises the risk or adds a write the approvers did not see.</summary>
    /// <remarks>A write that already ran (in any way) is never "already approved": repeating it is new.</remarks>
    private bool NeedsApproval(Run run, PlanVersion current, PlanVersion revised, PolicyVerdict verdict, IReadOnlyList<StepResult> results)
    {
        var approvedRisk = run.RiskLevel ?? current.Plan.RiskLevel;
        if (verdict.RiskLevel > approvedRisk)
            return true;
        var executed = results.Select(r => r.StepId).ToHashSet(StringComparer.Ordinal);
        var approvedWrites = current.Plan.Steps
            .Where(s => EffectiveRisk(s) >= RiskLevel.Write && !executed.Contains(s.Id))
            .Select(s => (s.Tool, s.Args.GetRawText()))
            .ToHashSet();
        return revised.Plan.Steps.Any(s => verdict.StepRisks.GetValueOrDefault(s.Id, s.Risk) >= RiskLevel.Write && !approvedWrites.Contains((s.Tool, s.Args.GetRawText())));
    }

    private RiskLevel EffectiveRisk(PlanStep step) =>
        tools.TryGet(step.Tool, out var tool) && step.Args.ValueKind == System.Text.Json.JsonValueKind.Object
            ? RiskLevels.Max(step.Risk, tool.Assess(step.Args).Risk)
            : step.Risk;
}
