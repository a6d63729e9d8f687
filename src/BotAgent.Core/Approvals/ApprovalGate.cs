using System.Text.Json.Nodes;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Logging;

namespace BotAgent.Core.Approvals;

/// <summary>
/// Turns clicks into decisions. A decision is bound to a plan version: a click on an older card, a
/// replayed click, a click on a finished run or by someone not allowed changes nothing and says why.
/// </summary>
public sealed class ApprovalGate(IRunStore runs, RunJournal journal, DecisionRights rights, ITraceSink traces, WorkSignals signals, TimeProvider time, ILogger<ApprovalGate> logger)
{
    public async Task<DecisionResult> DecideAsync(PlanDecision action, CancellationToken cancellationToken)
    {
        using var span = Telemetry.Start("botagent.approval", action.RunId, action.Conversation.ConversationId);
        var result = await DecideCoreAsync(action, cancellationToken);
        span?.SetTag("botagent.approval.result", result.Kind.ToString());
        if (result.Kind is DecisionResultKind.Approved or DecisionResultKind.Rejected && result.Run is { } decided)
        {
            // The wait is measured from when the plan was offered (its last change before the decision).
            var offered = (await runs.GetPlanAsync(decided.Id, decided.PlanVersion, cancellationToken))?.CreatedAt ?? decided.CreatedAt;
            Telemetry.ApprovalLatency.Record((time.GetUtcNow() - offered).TotalSeconds, new KeyValuePair<string, object?>("result", result.Kind.ToString()));
        }
        logger.Decision(action.RunId, action.Verb.ToString(), action.Actor.Id, result.Kind.ToString());
        if (result.Run is not null)
        {
            var type = result.ChangedRun ? TraceTypes.ApprovalDecision : TraceTypes.ApprovalRefused;
            await traces.ExecutionAsync(result.Run.Id, type, null, null, new JsonObject
            {
                ["verb"] = action.Verb == ApprovalVerb.Approve ? "approve" : "reject",
                ["actorId"] = action.Actor.Id,
                ["actorName"] = action.Actor.Name,
                ["planHash"] = action.PlanHash,
                ["result"] = result.Kind.ToString(),
                ["message"] = result.Message,
            }, cancellationToken);
        }
        if (result.Kind == DecisionResultKind.Approved)
            signals.Runs.Set();
        return result;
    }

    private async Task<DecisionResult> DecideCoreAsync(PlanDecision action, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(action.RunId, cancellationToken);
        if (run is null)
            return new(DecisionResultKind.UnknownRun, "This card refers to a run I do not know.", null);
        if (!DecisionRights.MayActOnPlanFrom(run, action.Actor, action.Conversation))
            return new(DecisionResultKind.NotAllowed, "This card belongs to another conversation.", run);

        if (run.Status != RunStatus.AwaitingApproval)
            return new(DecisionResultKind.Closed, $"Nothing changed: this plan is already {Describe(run.Status)}.", run);
        if (!string.Equals(run.PlanHash, action.PlanHash, StringComparison.Ordinal))
            return new(DecisionResultKind.Stale, $"Nothing changed: this card shows an older version of the plan; the current one is v{run.PlanVersion}.", run);

        var now = time.GetUtcNow();
        if (run.ExpiresAt is { } expiresAt && now >= expiresAt)
        {
            // Expired now rather than by the sweep moments later, so the answer to this click says so; the card is refreshed with the move.
            var expired = await journal.MoveAsync(new RunMove(run.Id, RunStatus.AwaitingApproval, RunStatus.Expired, new RunChanges(Outcome: "approval expired"),
                new RunTrace(TraceTypes.RunExpired)), cancellationToken);
            run = expired ?? await runs.GetAsync(run.Id, cancellationToken) ?? run;
            return expired is not null
                ? new(DecisionResultKind.Expired, "Nothing changed: this plan expired before it was approved.", run)
                : new(DecisionResultKind.Closed, $"Nothing changed: this plan is already {Describe(run.Status)}.", run);
        }

        var requirement = run.Approval ?? throw new InvalidOperationException($"Run {run.Id} awaits approval without a requirement.");
        var refusal = action.Verb == ApprovalVerb.Approve ? rights.WhyNotApprove(run, action.Actor) : DecisionRights.WhyNotReject(run, action.Actor);
        if (refusal is not null)
            return new(DecisionResultKind.NotAllowed, $"{action.Actor.Name}, you may not {Verb(action.Verb)} this plan: {refusal}.", run);

        var record = await journal.DecideAsync(
            new ApprovalDecision(run.Id, run.PlanVersion, action.PlanHash, action.Actor, action.Verb, now),
            requirement.Quorum,
            cancellationToken);
        run = await runs.GetAsync(run.Id, cancellationToken) ?? run;
        return record.Kind switch
        {
            DecisionRecordKind.Closed when record.Status == RunStatus.Approved =>
                new(DecisionResultKind.Approved, $"Approved by {action.Actor.Name}. Running it now.", run),
            DecisionRecordKind.Closed =>
                new(DecisionResultKind.Rejected, $"Rejected by {action.Actor.Name}. Nothing will run.", run),
            DecisionRecordKind.Counted =>
                new(DecisionResultKind.Counted, $"Approval by {action.Actor.Name} counted ({record.Approvals} of {requirement.Quorum}).", run),
            DecisionRecordKind.Duplicate =>
                new(DecisionResultKind.AlreadyDecided, $"Nothing changed: {action.Actor.Name}, you already decided on this plan.", run),
            _ => new(DecisionResultKind.Closed, $"Nothing changed: this plan is already {Describe(run.Status)}.", run),
        };
    }

    private static string Verb(ApprovalVerb verb) => verb == ApprovalVerb.Approve ? "approve" : "reject";

    private static string Describe(RunStatus status) => status switch
    {
        RunStatus.Approved or RunStatus.Running => "approved and running",
        RunStatus.Succeeded => "finished (succeeded)",
        RunStatus.Failed => "finished (failed)",
        RunStatus.PolicyDenied => "refused by policy",
        _ => status.ToWire().Replace('_', ' '),
    };
}
