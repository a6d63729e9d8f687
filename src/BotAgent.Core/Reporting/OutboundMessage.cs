using BotAgent.Core.Intake;

namespace BotAgent.Core.Reporting;

public enum OutboundKind
{
    /// <summary>A new message in the conversation's thread.</summary>
    Post,

    /// <summary>Replace the message posted earlier under the same <see cref="OutboundMessage.MessageKey"/>.</summary>
    Update,

    /// <summary>
    /// A passing hint that the bot is working (the typing indicator), not a message: sent in order with the
    /// conversation's messages, at most once, never retried; a newer one replaces one still waiting.
    /// </summary>
    Progress,
}

/// <param name="MessageKey">Names a posted message so later updates can find it (e.g. <c>card:{runId}</c>).</param>
public sealed record OutboundMessage(
    string? RunId,
    ConversationKey Conversation,
    OutboundKind Kind,
    string? MessageKey,
    OutboundView View);
