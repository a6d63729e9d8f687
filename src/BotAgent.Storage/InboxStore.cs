using BotAgent.Core.Intake;
using Dapper;

namespace BotAgent.Storage;

public sealed class InboxStore(Database database, TimeProvider time) : IInbox
{
    public async Task<bool> TryAcceptAsync(string adapter, string dedupeKey, string orderingKey, string payload, DateTimeOffset receivedAt, bool processed, CancellationToken cancellationToken)
    {
        // The unique dedupe key decides, across instances: a retry or a concurrent double post inserts nothing.
        const string sql = """
            INSERT INTO inbox (adapter, dedupe_key, ordering_key, payload, status, received_at, processed_at)
            VALUES (@adapter, @dedupeKey, @orderingKey, @payload, @status, @receivedAt, @processedAt)
            ON CONFLICT (dedupe_key) DO NOTHING;
            """;
        var at = DbTime.ToText(receivedAt);
        var args = new
        {
            adapter,
            dedupeKey,
            orderingKey,
            payload,
            status = processed ? "done" : "pending",
            receivedAt = at,
            processedAt = processed ? at : null,
        };
        return await database.ExecuteWriteAsync(sql, args, cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<InboundItem>> ClaimAsync(string owner, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        // Items of one conversation stay with one claimer and in order: a conversation whose earlier item
        // is being processed elsewhere is skipped until that item is done. The status IN (…) term, the
        // same as ix_inbox_open's condition, lets SQLite use that partial index rather than scan.
        var sql = $"""
            UPDATE inbox SET status = 'processing', attempts = attempts + 1, lease_owner = @owner, lease_until = @leaseUntil
            WHERE id IN (
                SELECT i.id FROM inbox i
                WHERE i.status IN ('pending', 'processing') AND (i.status = 'pending' OR i.lease_until < @now)
                  AND NOT EXISTS (
                      SELECT 1 FROM inbox p
                      WHERE p.ordering_key = i.ordering_key AND p.id < i.id
                        AND p.status = 'processing' AND p.lease_until >= @now)
                ORDER BY i.id
                LIMIT @max{database.ForUpdateSkipLocked})
            RETURNING id, adapter, dedupe_key, ordering_key, payload, received_at, attempts;
            """;
        var args = new
        {
            owner,
            max,
            now = DbTime.ToText(now),
            leaseUntil = DbTime.ToText(leaseUntil),
        };
        var rows = await database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (database.InboxClaimLock is { } claimLock)
                await connection.ExecuteAsync(new CommandDefinition(claimLock, transaction: transaction, cancellationToken: ct));
            return (await connection.QueryAsync<InboxRow>(new CommandDefinition(sql, args, transaction, cancellationToken: ct))).ToList();
        }, cancellationToken);
        return [.. rows.OrderBy(r => r.Id).Select(r => new InboundItem(r.Id, r.Adapter, r.DedupeKey, r.OrderingKey, r.Payload, DbTime.Parse(r.ReceivedAt), r.Attempts))];
    }

    public Task CompleteAsync(long id, string owner, CancellationToken cancellationToken) =>
        SetStatusAsync(id, owner, "done", null, cancellationToken);

    public Task FailAsync(long id, string owner, string error, CancellationToken cancellationToken) =>
        SetStatusAsync(id, owner, "failed", error, cancellationToken);

    public async Task RetryAsync(long id, string owner, string error, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE inbox SET status = 'pending', error = @error, lease_owner = NULL, lease_until = NULL WHERE id = @id AND status = 'processing' AND lease_owner = @owner;";
        await database.ExecuteWriteAsync(sql, new { id, owner, error }, cancellationToken);
    }

    public async Task ReleaseAsync(long id, string owner, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE inbox SET status = 'pending', attempts = attempts - 1, lease_owner = NULL, lease_until = NULL WHERE id = @id AND status = 'processing' AND lease_owner = @owner;";
        await database.ExecuteWriteAsync(sql, new { id, owner }, cancellationToken);
    }

    public async Task<int> ReleaseAllAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE inbox SET lease_until = @past WHERE status = 'processing';";
        return await database.ExecuteWriteAsync(sql, new { past = DbTime.ToText(now.AddTicks(-1)) }, cancellationToken);
    }

    public async Task<int> RenewAsync(string owner, IReadOnlyCollection<long> ids, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return 0;
        var sql = $"UPDATE inbox SET lease_until = @leaseUntil WHERE {database.InList("id", "@ids")} AND status = 'processing' AND lease_owner = @owner;";
        return await database.ExecuteWriteAsync(sql, new { owner, ids = ids.ToArray(), leaseUntil = DbTime.ToText(leaseUntil) }, cancellationToken);
    }

    private async Task SetStatusAsync(long id, string owner, string status, string? error, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE inbox SET status = @status, error = @error, processed_at = @at, lease_owner = NULL, lease_until = NULL
            WHERE id = @id AND status = 'processing' AND lease_owner = @owner;
            """;
        await database.ExecuteWriteAsync(sql, new { id, owner, status, error, at = DbTime.ToText(time.GetUtcNow()) }, cancellationToken);
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
