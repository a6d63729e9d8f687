using BotAgent.Core.Intake;

namespace BotAgent.Core.Traces;

/// <summary>
/// Storage port for what a run's conversation carried, as the inbox and the outbox hold it: the transcript export reads
/// a run's thread back from here. Only what concerns the run: another run's goal in the same conversation is not its story.
/// </summary>
public interface IConversationRecord
{
    /// <summary>
    /// The inbound payloads of the conversation <paramref name="orderingKey"/> that asked for the run (<paramref name="sourceKey"/>)
    /// or name it (clicks on its cards carry its id), oldest first.
    /// </summary>
    Task<IReadOnlyList<InboundItem>> InboundForRunAsync(string orderingKey, string runId, string? sourceKey, CancellationToken cancellationToken);

    /// <summary>The messages posted for the run into that conversation and delivered, oldest first, each with its last delivered update.</summary>
    Task<IReadOnlyList<DeliveredMessage>> OutboundForRunAsync(string orderingKey, string runId, CancellationToken cancellationToken);
}
