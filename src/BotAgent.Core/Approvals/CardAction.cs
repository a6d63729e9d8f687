using BotAgent.Core.Intake;

namespace BotAgent.Core.Approvals;

/// <summary>A click on a plan card's Approve or Reject, from any channel.</summary>
public sealed record CardAction(
    string RunId,
    string PlanHash,
    ApprovalVerb Verb,
    Member Actor,
    ConversationReference Conversation);
