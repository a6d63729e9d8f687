namespace BotAgent.Core.Intake;

/// <summary>
/// A raw inbound payload held in the durable inbox until processed.
/// <see cref="DedupeKey"/> is unique in the store: a channel retry or a double post is processed once.
/// </summary>
/// <param name="OrderingKey">Items with the same key (one conversation) are handled in the order they arrived.</param>
public sealed record InboundItem(long Id, string Adapter, string DedupeKey, string OrderingKey, string Payload, DateTimeOffset ReceivedAt, int Attempts = 0);
