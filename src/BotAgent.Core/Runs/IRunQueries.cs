using BotAgent.Core.Traces;

namespace BotAgent.Core.Runs;

/// <summary>Storage port for lists of runs: a conversation's recent runs, and the pages of the trace viewer and the export.</summary>
public interface IRunQueries
{
    /// <summary>The most recent runs of one conversation (<see cref="Intake.ConversationKey.OrderingKey"/>), newest first.</summary>
    Task<IReadOnlyList<Run>> ListByConversationAsync(string conversationKey, int limit, bool activeOnly, CancellationToken cancellationToken);

    /// <summary>Runs matching <paramref name="query"/>, newest first, one page of them (the trace viewer, the export).</summary>
    Task<IReadOnlyList<Run>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// How many runs match <paramref name="query"/>, ignoring its offset and limit, counting no further than
    /// <paramref name="atMost"/>: a count of every match reads them all, and a page only needs to know there are more.
    /// </summary>
    Task<int> CountRunsAsync(RunQuery query, int atMost, CancellationToken cancellationToken);
}
