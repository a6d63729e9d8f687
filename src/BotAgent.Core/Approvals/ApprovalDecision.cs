using BotAgent.Core.Intake;

namespace BotAgent.Core.Approvals;

/// <summary>A person's approve or reject, bound to one plan version by its hash.</summary>
public sealed record ApprovalDecision(
    string RunId,
    int PlanVersion,
    string PlanHash,
    Member Approver,
    ApprovalVerb Verb,
    DateTimeOffset DecidedAt);
