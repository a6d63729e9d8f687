using BotAgent.Core.Execution;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Reporting;

/// <summary>The plan card: what will run, who may approve it, and where it stands.</summary>
/// <param name="AcceptsDecisions">Show Approve/Reject (the run is awaiting approval).</param>
/// <param name="Approvers">Member ids that may approve; empty when any member may (used for user-specific views).</param>
/// <param name="Changes">For a revised plan: what changed since the previous version (added, removed, changed steps).</param>
/// <param name="TraceUrl">The run's trace page, when the bot has a public address; the card links to it.</param>
/// <param name="EnvelopeText">What re-planning may do without asking again, in plain words.</param>
/// <param name="OutsideEnvelope">For a revision waiting for people: how it goes beyond what was approved.</param>
/// <param name="GoalVerdict">Whether the goal was met, once the run has finished.</param>
/// <param name="SentAgain">
/// This copy was sent because an earlier one may not have arrived (its create timed out or broke): the card says
/// either copy works, and a decision on either counts once.
/// </param>
public sealed record PlanCardView(
    string RunId,
    string PlanHash,
    int PlanVersion,
    string Goal,
    string RequesterName,
    RunStatus Status,
    RiskLevel RiskLevel,
    string SuccessCriteria,
    string ApproversText,
    IReadOnlyList<StepView> Steps,
    IReadOnlyList<DecisionView> Decisions,
    string StatusLine,
    bool AcceptsDecisions,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<string> Approvers,
    IReadOnlyList<string>? Changes = null,
    string? TraceUrl = null,
    string? EnvelopeText = null,
    IReadOnlyList<string>? OutsideEnvelope = null,
    GoalVerdict? GoalVerdict = null,
    bool SentAgain = false) : OutboundView
{
    public override string FallbackText => $"Plan for: {Goal} ({StatusLine})";
}

/// <param name="Risk">The step's effective risk (what policy computed, never only what a planner claimed).</param>
/// <param name="Targets">What the call reaches (an origin, a connection, a server), comma-separated; null when unknown.</param>
/// <param name="Expectation">What the result should show, in words ("expects HTTP 2xx").</param>
public sealed record StepView(
    int Number,
    string Id,
    string Title,
    string Tool,
    string ArgsSummary,
    RiskLevel Risk,
    StepState State,
    string? ResultSummary,
    string? Targets = null,
    string? Expectation = null);

public sealed record DecisionView(string Name, string Verb, DateTimeOffset At);
