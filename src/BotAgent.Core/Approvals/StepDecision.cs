using BotAgent.Core.Execution;
using BotAgent.Core.Intake;

namespace BotAgent.Core.Approvals;

/// <summary>A click on a decision card: what happened to a write whose outcome is unknown.</summary>
public sealed record StepDecision(
    string RunId,
    long AttemptId,
    StepResolutionKind Kind,
    Member Actor,
    ConversationKey Conversation);
