namespace BotAgent.Core.Intake;

/// <summary>A channel adapter's handler for the payloads it put into the inbox.</summary>
public interface IInboundHandler
{
    /// <summary>The adapter name the items were stored under.</summary>
    string Adapter { get; }

    Task HandleAsync(InboundItem item, CancellationToken cancellationToken);
}
