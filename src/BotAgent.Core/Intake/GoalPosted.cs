namespace BotAgent.Core.Intake;

/// <summary>Someone wrote a goal (or a command) to the bot.</summary>
public sealed record GoalPosted(ConversationReference Conversation, Member Requester, string Text);
