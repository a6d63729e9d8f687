namespace BotAgent.Core.Reporting;

/// <summary>An outbox row being delivered.</summary>
/// <param name="TargetMessageId">For updates: the channel's id of the message to replace, once it is known.</param>
public sealed record OutboxItem(long Id, OutboundMessage Message, int Attempts, string? TargetMessageId);
