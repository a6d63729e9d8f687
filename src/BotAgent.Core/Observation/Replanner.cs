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
/// Plan → execute → observe → re-plan: offers revised plans. Every revision passes policy again, then is held to
/// what people approved (<see cref="ApprovedScope"/>): one whose new or changed steps all fit the approved envelope
/// runs on, announced in the thread with what changed; anything else (a new tool or target, more risk, more steps,
/// a write not approved as such) waits for people on a card that shows the difference. So an instruction injected
/// into a tool's output cannot make anything run that people did not approve.
/// </summary>
public sealed class Replanner(
    IRunStore runs,
    IPlanner planner,
    PlanPolicy policy,
    ToolCatalogue tools,
    Reporter reporter,
    ITraceSink traces,
    ApprovalOffer offer,
    TimeProvider time,
    IOptions<PlannerOptions> plannerOptions)
{
    /// <summary>Whether the run may still get a revised plan (<c>Planner:MaxRevisions</c>).</summary>
    public bool MayRevise(PlanVersion current) => current.Version - 1 < plannerOptions.Value.MaxRevisions;

    /// <summary>After a failed step: asks the planner for a revised plan and offers it.</summary>
    public async Task<Revision> ReviseAsync(Run run, PlanVersion current, IReadOnlyList<StepResult> results, StepResult failed, ApprovedScope scope, CancellationToken cancellationToken)
    {
        if (!MayRevise(current))
            return Revision.NoRevision;
        var reason = $"step {failed.StepId} ({failed.Tool}) {failed.State.ToWire()}: {failed.Summary}";
        await traces.PlanningAsync(run.Id, TraceTypes.RevisionRequested, new JsonObject { ["fromVersion"] = current.Version, ["reason"] = reason }, cancellationToken);
        await reporter.ShowProgressAsync(run, $"Revising the plan after step {failed.StepId}…", cancellationToken);

        var outcome = await planner.ReviseAsync(new RevisionRequest(run.Id, run.Goal, run.Requester, current.Plan, results, reason, tools.Descriptors), cancellationToken);
        if (outcome.Plan is null)
        {
            await traces.PlanningAsync(run.Id, TraceTypes.PlanNotRevised, new JsonObject
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
        return await OfferAsync(run, current, outcome.Plan, outcome.Planner, reason, results, scope, cancellationToken);
    }

    /// <summary>
    /// A step about to run no longer fits what was approved (its tool became riskier or reaches elsewhere since the
    /// approval): the rest of the plan, as the tools would run it now, goes back to people.
    /// </summary>
    public Task<Revision> AskAgainAsync(Run run, PlanVersion current, int index, string why, IReadOnlyList<StepResult> results, ApprovedScope scope, CancellationToken cancellationToken)
    {
        var remaining = current.Plan.Steps.Skip(index).ToList();
        var ids = remaining.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        // Steps already done are not in the rest: a dependency on one of them is met, not missing.
        var rest = current.Plan with
        {
            Steps = [.. remaining.Select(s => Refreshed(s) with { DependsOn = s.DependsOn?.Where(ids.Contains).ToList() is { Count: > 0 } kept ? kept : null })],
            Envelope = scope.Approved.Plan.Envelope,
        };
        return OfferAsync(run, current, rest, current.Planner, $"step {current.Plan.Steps[index].Id} no longer fits what was approved: {why}", results, scope, cancellationToken, mustAsk: true);
    }

    /// <summary>Offers a revised plan: refused by policy, continuing inside the approved envelope, or waiting for people.</summary>
    public async Task<Revision> OfferAsync(
        Run run, PlanVersion current, Plan proposal, string plannerName, string reason, IReadOnlyList<StepResult> results, ApprovedScope scope,
        CancellationToken cancellationToken, bool mustAsk = false)
    {
        var verdict = policy.Evaluate(proposal, run.Requester);
        var applied = verdict.Apply(proposal);
        var outside = verdict.IsAllowed ? scope.CheckRevision(applied) : [];
        if (verdict.IsAllowed && outside.Count == 0 && !mustAsk)
        {
            // A revision that runs on runs under the approved envelope: whatever envelope the planner proposed with it
            // was never shown to anyone, so it is not kept (and cannot become the envelope of a later approval unseen).
            applied = applied with { Envelope = EnvelopeCheck.Of(scope.Approved.Plan) };
        }
        else if (verdict.IsAllowed)
        {
            outside = [.. outside, .. scope.Widening(applied)];
        }
        var revised = new PlanVersion(current.Version + 1, PlanDocument.Hash(applied), applied, plannerName, time.GetUtcNow());
        var done = results.Where(r => r.Succeeded).Select(r => r.StepId).ToHashSet(StringComparer.Ordinal);
        var changes = PlanDiff.Compare(current.Plan, revised.Plan, done);
        await traces.PlanningAsync(run.Id, TraceTypes.PlanRevised, new JsonObject
        {
            ["version"] = revised.Version,
            ["hash"] = revised.Hash,
            ["planner"] = revised.Planner,
            ["reason"] = reason,
            ["plan"] = JsonNode.Parse(PlanDocument.ToJson(revised.Plan)),
            ["changes"] = Array(changes),
            ["allowed"] = verdict.IsAllowed,
            ["violations"] = Array(verdict.Violations),
            ["approvedVersion"] = scope.Approved.Version,
            ["outsideEnvelope"] = Array(outside),
        }, cancellationToken);

        if (!verdict.IsAllowed)
        {
            await reporter.PostNoticeAsync(run.Conversation, new NoticeView(
                "The revised plan was refused by policy; nothing of it was run.", verdict.Violations, NoticeTone.Warning, run.Id), cancellationToken);
            return new Revision(RevisionKind.Refused, revised, "revision refused by policy: " + verdict.Violations[0]);
        }

        await runs.SavePlanAsync(run.Id, revised, cancellationToken);
        if (outside.Count > 0 || mustAsk)
        {
            await offer.OfferAsync(run.Id, RunStatus.Running, verdict, revised.Version, cancellationToken,
                outcome: "a revised plan needs approval", replaces: current.Version, outsideEnvelope: outside);
            return new Revision(RevisionKind.AwaitApproval, revised);
        }

        var continuing = await runs.GetAsync(run.Id, cancellationToken) ?? run;
        await reporter.RefreshCardAsync(continuing, cancellationToken, current.Version);
        await reporter.PostNoticeAsync(run.Conversation, new NoticeView(
            $"I revised the plan (v{revised.Version}) {(reason.StartsWith("after ", StringComparison.Ordinal) ? reason : "after " + reason)}. "
            + $"It stays within the envelope {scope.ApproverNames} approved on v{scope.Approved.Version}, so I'm continuing.",
            changes, NoticeTone.Info, run.Id), cancellationToken);
        await reporter.PostPlanCardAsync(continuing, cancellationToken);
        return new Revision(RevisionKind.Continue, revised);
    }

    /// <summary>A step as its tool would run it now (for asking again after the tool changed).</summary>
    private PlanStep Refreshed(PlanStep step) =>
        tools.TryGet(step.Tool, out var tool) ? EffectiveStep.Of(step, tool) : step;

    private static JsonArray Array(IEnumerable<string> lines) => new([.. lines.Select(l => (JsonNode?)JsonValue.Create(l))]);
}
