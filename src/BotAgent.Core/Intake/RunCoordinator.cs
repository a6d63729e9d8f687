using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Planning;
using BotAgent.Core.Policy;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Intake;

/// <summary>
/// Sequences a new goal through the stages: intake → planner → policy → approval card. It holds no
/// stage logic of its own; every step is written to the store together with the message that announces it.
/// </summary>
public sealed class RunCoordinator(
    IRunStore runs,
    IPlanner planner,
    PlanPolicy policy,
    ToolCatalogue tools,
    Reporter reporter,
    ITraceSink traces,
    TimeProvider time,
    RunJournal journal,
    ApprovalOffer offer,
    Limits.GoalLimits limits,
    ILogger<RunCoordinator> logger)
{
    /// <returns>The run, or null when the goal was over a limit (the person was told, once, when to try again).</returns>
    public async Task<Run?> HandleGoalAsync(GoalPosted goal, CancellationToken cancellationToken)
    {
        if (await limits.CheckAsync(goal, cancellationToken) is { } refused)
        {
            logger.GoalOverLimit(goal.Requester.Id, refused.Title);
            if (!ReferenceEquals(refused, Limits.GoalLimits.Silent))
                await reporter.PostNoticeAsync(goal.Conversation, refused, cancellationToken);
            return null;
        }

        var now = time.GetUtcNow();
        var run = new Run
        {
            Id = RunIds.New(),
            Status = RunStatus.Planning,
            Goal = goal.Text,
            Requester = goal.Requester,
            Conversation = goal.Conversation,
            CreatedAt = now,
            UpdatedAt = now,
            SourceKey = goal.SourceKey,
        };
        using var span = Telemetry.Start("botagent.plan", run.Id, goal.Conversation.ConversationId);
        var stored = await runs.CreateAsync(run, cancellationToken);
        // The spans that brought the goal in (inbox processing) belong to this run too.
        for (var parent = span; parent is not null; parent = parent.Parent)
            parent.SetTag(Telemetry.RunIdTag, stored.Id);
        if (stored.Id != run.Id)
        {
            // The same inbound item again (its first processing was interrupted): finish what is left, once. A run
            // past planning was answered already: its move queued the card or the answer in the same transaction.
            if (stored.Status != RunStatus.Planning)
                return stored;
            run = stored;
        }
        await traces.PlanningAsync(run.Id, TraceTypes.GoalReceived, new JsonObject
        {
            ["goal"] = goal.Text,
            ["requesterId"] = goal.Requester.Id,
            ["channel"] = goal.Conversation.ChannelId,
        }, cancellationToken);

        PlanningOutcome outcome;
        using (Telemetry.Start("botagent.planner", run.Id, goal.Conversation.ConversationId))
            outcome = await planner.PlanAsync(new PlanningRequest(run.Id, goal.Text, goal.Requester, tools.Descriptors), cancellationToken);
        if (outcome.Plan is null)
            return await NotPlannedAsync(run, outcome, cancellationToken);

        // Policy first: what is stored (and hashed, and shown) is the plan as people are asked to approve it, with
        // each step's effective risk and targets and the envelope policy allows, not what the planner claimed.
        PolicyVerdict verdict;
        using (var policySpan = Telemetry.Start("botagent.policy", run.Id, goal.Conversation.ConversationId))
        {
            verdict = policy.Evaluate(outcome.Plan, goal.Requester);
            policySpan?.SetTag("botagent.policy.allowed", verdict.IsAllowed);
        }
        var applied = verdict.Apply(outcome.Plan);
        var proposed = new PlanVersion(1, PlanDocument.Hash(applied), applied, outcome.Planner, time.GetUtcNow());
        // The first save of version 1 wins: an interrupted earlier attempt may have stored its plan already.
        var version = await runs.SavePlanAsync(run.Id, proposed, cancellationToken)
            ? proposed
            : await runs.GetPlanAsync(run.Id, 1, cancellationToken) ?? proposed;
        if (version.Hash != proposed.Hash)
            verdict = policy.Evaluate(version.Plan, goal.Requester);
        var plan = version.Plan;
        await traces.PlanningAsync(run.Id, TraceTypes.PlanProposed, new JsonObject
        {
            ["version"] = version.Version,
            ["hash"] = version.Hash,
            ["planner"] = outcome.Planner,
            ["plan"] = JsonNode.Parse(PlanDocument.ToJson(plan)),
        }, cancellationToken);
        logger.PlanProposed(run.Id, version.Version, version.Hash, version.Planner, plan.RiskLevel.ToWire(), plan.Steps.Count);
        await traces.PlanningAsync(run.Id, TraceTypes.PolicyVerdict, new JsonObject
        {
            ["allowed"] = verdict.IsAllowed,
            ["risk"] = verdict.RiskLevel.ToWire(),
            ["violations"] = new JsonArray([.. verdict.Violations.Select(v => (JsonNode?)JsonValue.Create(v))]),
        }, cancellationToken);

        if (!verdict.IsAllowed)
            return await RefusedAsync(run, verdict, cancellationToken);
        return await offer.OfferAsync(run.Id, RunStatus.Planning, verdict, version.Version, cancellationToken)
            ?? await runs.GetAsync(run.Id, cancellationToken) ?? run;
    }

    private const string PlanningFailedPrefix = "planning failed: ";
    private const string CouldNotPlan = "I could not plan that.";

    /// <summary>Ends a goal the planner could not plan, with its one answer (keyed, sent again if it may not have arrived).</summary>
    private async Task<Run> NotPlannedAsync(Run run, PlanningOutcome outcome, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        if (outcome.Problems is { Count: > 0 } problems)
            lines.AddRange(["What was wrong with the proposed plan:", .. problems.Select(p => "• " + p)]);
        if (outcome.Suggestions.Count > 0)
            lines.AddRange(["Here is what I can do:", .. outcome.Suggestions]);
        var notice = new NoticeView(outcome.Reason ?? CouldNotPlan, lines,
            outcome.Problems is { Count: > 0 } ? NoticeTone.Warning : NoticeTone.Info, run.Id);
        return await journal.MoveAsync(new RunMove(run.Id, RunStatus.Planning, RunStatus.Failed, new RunChanges(Outcome: PlanningFailedPrefix + outcome.Reason),
            new RunTrace(TraceTypes.PlanNotMade, new JsonObject { ["planner"] = outcome.Planner, ["reason"] = outcome.Reason }, Planning: true),
            failed => [Reporter.Notice(failed.Conversation, notice, Reporter.AnswerKey(failed.Id))], RefreshCard: false, CountAs: "planning_failed"), cancellationToken)
            ?? await runs.GetAsync(run.Id, cancellationToken) ?? run;
    }

    private async Task<Run> RefusedAsync(Run run, PolicyVerdict verdict, CancellationToken cancellationToken)
    {
        logger.PolicyRefused(run.Id, verdict.Violations.Count);
        return await journal.MoveAsync(new RunMove(run.Id, RunStatus.Planning, RunStatus.PolicyDenied,
            new RunChanges(Outcome: "refused by policy: " + verdict.Violations[0], RiskLevel: verdict.RiskLevel),
            Announce: refused => [Reporter.Notice(refused.Conversation, Refusal(refused.Id, verdict), Reporter.AnswerKey(refused.Id))], RefreshCard: false), cancellationToken)
            ?? await runs.GetAsync(run.Id, cancellationToken) ?? run;
    }

    private static NoticeView Refusal(string runId, PolicyVerdict verdict) =>
        new("I can't run this plan: policy refused it. Nothing was executed.", verdict.Violations, NoticeTone.Warning, runId);
}
