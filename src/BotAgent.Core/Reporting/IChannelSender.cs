using BotAgent.Core.Intake;

namespace BotAgent.Core.Reporting;

/// <summary>A channel adapter's way of delivering outbox messages (render the view, call the channel).</summary>
public interface IChannelSender
{
    string Adapter { get; }

    Task<SendOutcome> SendAsync(OutboxItem item, CancellationToken cancellationToken);

    /// <summary>
    /// A hint that a goal is being planned (a typing indicator), where the channel has one: sent at once rather than
    /// through the outbox, and a failure changes nothing.
    /// </summary>
    Task ShowPlanningAsync(ConversationKey conversation, CancellationToken cancellationToken);
}
