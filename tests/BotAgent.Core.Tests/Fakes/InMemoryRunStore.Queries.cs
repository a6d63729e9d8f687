using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Fakes;

internal sealed partial class InMemoryRunStore
{
    public Task<IReadOnlyList<Run>> ListByConversationAsync(string conversationKey, int limit, bool activeOnly, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Run>>([.. _runs.Values
                .Where(r => r.Conversation.OrderingKey == conversationKey && (!activeOnly || !r.Status.IsFinished()))
                .OrderByDescending(r => r.CreatedAt)
                .Take(limit)]);
        }
    }

    public Task<IReadOnlyList<Run>> ListRunsAsync(Traces.RunQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Run>>([.. Matching(query)
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .Skip(query.Offset).Take(query.Limit)]);
        }
    }

    public Task<int> CountRunsAsync(Traces.RunQuery query, int atMost, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult(Matching(query).Take(Math.Max(0, atMost)).Count());
    }

    private IEnumerable<Run> Matching(Traces.RunQuery query) => _runs.Values.Where(r =>
        (query.Status is null || r.Status == query.Status)
        && (string.IsNullOrWhiteSpace(query.Text) || r.Goal.Contains(query.Text.Trim(), StringComparison.OrdinalIgnoreCase))
        && (query.From is null || r.CreatedAt >= query.From)
        && (query.To is null || r.CreatedAt < query.To));
}
