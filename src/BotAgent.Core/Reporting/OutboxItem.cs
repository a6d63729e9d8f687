namespace BotAgent.Core.Reporting;

/// <summary>An outbox row being delivered.</summary>
/// <param name="TargetMessageId">For updates: the channel's id of the message to replace, once it is known.</param>
/// <param name="LastSentFingerprint">
/// For updates: the fingerprint of the last update of the same message that was sent, from the store, so an identical
/// one is not sent again after a restart or by another instance.
/// </param>
/// <param name="MayHaveArrived">An earlier attempt of this post may have reached the channel (a plan card sent again).</param>
public sealed record OutboxItem(long Id, OutboundMessage Message, int Attempts, string? TargetMessageId, string? LastSentFingerprint = null, bool MayHaveArrived = false);
