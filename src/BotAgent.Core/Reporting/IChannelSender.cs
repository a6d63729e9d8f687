namespace BotAgent.Core.Reporting;

/// <summary>A channel adapter's way of delivering outbox messages (render the view, call the channel).</summary>
public interface IChannelSender
{
    string Adapter { get; }

    Task<SendOutcome> SendAsync(OutboxItem item, CancellationToken cancellationToken);
}
