namespace BotAgent.Channels.BotFramework;

/// <summary>What one person may do with a card, for the user-specific view Teams asks for.</summary>
public sealed record ViewerRights(bool MayDecide, string? Reason);
