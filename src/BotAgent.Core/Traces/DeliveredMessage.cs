using BotAgent.Core.Reporting;

namespace BotAgent.Core.Traces;

/// <summary>A post the channel took, and what it shows now.</summary>
/// <param name="MessageId">The channel's id of the message, where it gave one.</param>
/// <param name="LastUpdate">The view of the last update delivered in place of the post; null when it was never updated.</param>
public sealed record DeliveredMessage(long Id, OutboundMessage Post, string? MessageId, DateTimeOffset SentAt, OutboundView? LastUpdate);
