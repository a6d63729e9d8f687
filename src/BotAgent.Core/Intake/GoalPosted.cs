namespace BotAgent.Core.Intake;

/// <summary>Someone wrote a goal (or a command) to the bot.</summary>
/// <param name="SourceKey">The inbound item's dedupe key: processing the same item again finds the same run.</param>
public sealed record GoalPosted(ConversationKey Conversation, Member Requester, string Text, string? SourceKey = null);
