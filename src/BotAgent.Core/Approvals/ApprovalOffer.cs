using System.Text.Json.Nodes;
using BotAgent.Core.Policy;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Approvals;

/// <summary>
/// Offers a plan version for approval: a new goal's first plan, or a revision beyond what people approved. The run
/// waits (stored, with a deadline), the request is traced, and the plan card is posted in the thread.
/// </summary>
public sealed class ApprovalOffer(RunJournal journal, TimeProvider time, IOptions<ApprovalOptions> options)
{
    /// <param name="from">Planning (a new goal) or running (a revision that needs people again).</param>
    /// <param name="replaces">The version whose card is refreshed first (it no longer runs), for a revision.</param>
    /// <param name="outsideEnvelope">What the revision needs beyond the approved envelope, shown on its card.</param>
    public Task<Run?> OfferAsync(
        string runId, RunStatus from, PolicyVerdict verdict, int version, CancellationToken cancellationToken,
        string? outcome = null, int? replaces = null, IReadOnlyList<string>? outsideEnvelope = null)
    {
        var expiresAt = time.GetUtcNow() + options.Value.Expiry;
        var data = new JsonObject
        {
            ["risk"] = verdict.RiskLevel.ToWire(),
            ["quorum"] = verdict.Approval!.Quorum,
            ["expiresAt"] = expiresAt,
        };
        // A revision says which version waits and why (the trace pages tell a revision's request by it).
        if (replaces is not null)
            data["planVersion"] = version;
        if (outsideEnvelope is not null)
            data["outsideEnvelope"] = new JsonArray([.. outsideEnvelope.Select(l => (JsonNode?)JsonValue.Create(l))]);
        return journal.MoveAsync(new RunMove(runId, from, RunStatus.AwaitingApproval,
            new RunChanges(Outcome: outcome, ExpiresAt: expiresAt, RiskLevel: verdict.RiskLevel, Approval: verdict.Approval),
            new RunTrace(TraceTypes.ApprovalRequested, data),
            waiting => [.. replaces is { } previous ? Reporter.CardRefresh(waiting, previous) : [], .. Reporter.PlanCardPosts(waiting)],
            RefreshCard: false), cancellationToken);
    }
}
