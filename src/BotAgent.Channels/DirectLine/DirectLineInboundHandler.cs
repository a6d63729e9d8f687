using BotAgent.Channels.BotFramework;
using BotAgent.Core.Intake;

namespace BotAgent.Channels.DirectLine;

/// <summary>
/// Activities the bot's Direct Line endpoint put into the inbox have the Bot Framework's shape: they are handled as
/// Bot Framework activities are, and their voucher makes them Direct Line conversations (answered into the log).
/// </summary>
public sealed class DirectLineInboundHandler(BotFrameworkInboundHandler activities) : IInboundHandler
{
    public string Adapter => ActivityTranslator.DirectLineAdapter;

    public Task HandleAsync(InboundItem item, CancellationToken cancellationToken) => activities.HandleAsync(item, cancellationToken);
}
