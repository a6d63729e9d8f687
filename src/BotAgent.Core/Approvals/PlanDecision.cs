using BotAgent.Core.Intake;

namespace BotAgent.Core.Approvals;

/// <summary>A click on a plan card's Approve or Reject, from any channel.</summary>
public sealed record PlanDecision(
    string RunId,
    string PlanHash,
    ApprovalVerb Verb,
    Member Actor,
    ConversationKey Conversation);
