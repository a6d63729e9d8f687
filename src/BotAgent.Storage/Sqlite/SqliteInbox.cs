using BotAgent.Core.Intake;
using Dapper;

namespace BotAgent.Storage.Sqlite;

public sealed class SqliteInbox(SqliteDatabase database, TimeProvider time) : IInbox
{
    public async Task<bool> TryAcceptAsync(string adapter, string dedupeKey, string orderingKey, string payload, DateTimeOffset receivedAt, bool processed, CancellationToken cancellationToken)
    {
        // The unique dedupe key decides: a retry or a concurrent double post inserts nothing.
        const string sql = """
            INSERT INTO inbox (adapter, dedupe_key, ordering_key, payload, status, received_at, processed_at)
            VALUES (@adapter, @dedupeKey, @orderingKey, @payload, @status, @receivedAt, @processedAt)
            ON CONFLICT (dedupe_key) DO NOTHING;
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var at = DbTime.ToText(receivedAt);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            adapter,
            dedupeKey,
            orderingKey,
            payload,
            status = processed ? "done" : "pending",
            receivedAt = at,
            processedAt = processed ? at : null,
        }, cancellationToken: cancellationToken));
        return inserted == 1;
    }

    public async Task<IReadOnlyList<InboundItem>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE inbox SET status = 'processing', attempts = attempts + 1
            WHERE id IN (SELECT id FROM inbox WHERE status = 'pending' ORDER BY id LIMIT @max)
            RETURNING id, adapter, dedupe_key, ordering_key, payload, received_at, attempts;
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<InboxRow>(new CommandDefinition(sql, new { max }, cancellationToken: cancellationToken));
        return [.. rows.OrderBy(r => r.Id).Select(r => new InboundItem(r.Id, r.Adapter, r.DedupeKey, r.OrderingKey, r.Payload, DbTime.Parse(r.ReceivedAt), r.Attempts))];
    }

    public Task CompleteAsync(long id, CancellationToken cancellationToken) =>
        SetStatusAsync(id, "done", null, cancellationToken);

    public Task FailAsync(long id, string error, CancellationToken cancellationToken) =>
        SetStatusAsync(id, "failed", error, cancellationToken);

    private async Task SetStatusAsync(long id, string status, string? error, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE inbox SET status = @status, error = @error, processed_at = @at WHERE id = @id;";
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, status, error, at = DbTime.ToText(time.GetUtcNow()) }, cancellationToken: cancellationToken));
    }

    private sealed class InboxRow
    {
        public long Id { get; set; }
        public string Adapter { get; set; } = "";
        public string DedupeKey { get; set; } = "";
        public string OrderingKey { get; set; } = "";
        public string Payload { get; set; } = "";
        public string ReceivedAt { get; set; } = "";
        public int Attempts { get; set; }
    }
}
