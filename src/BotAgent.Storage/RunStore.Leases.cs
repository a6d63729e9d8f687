using BotAgent.Core.Runs;
using Dapper;

namespace BotAgent.Storage;

public sealed partial class RunStore
{
    public async Task<string?> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        // An approved run, or a running one whose instance stopped renewing its lease. SKIP LOCKED lets
        // concurrent claimers on PostgreSQL pass over each other's candidates instead of waiting.
        var sql = $"""
            UPDATE runs SET status = 'running', lease_owner = @owner, lease_until = @leaseUntil, updated_at = @now
            WHERE id = (
                SELECT id FROM runs
                WHERE status = 'approved' OR (status = 'running' AND (lease_until IS NULL OR lease_until < @now))
                ORDER BY updated_at
                LIMIT 1{database.ForUpdateSkipLocked})
              AND (status = 'approved' OR (status = 'running' AND (lease_until IS NULL OR lease_until < @now)))
            RETURNING id;
            """;
        var claimed = await database.QueryWriteAsync<string>(sql, new
        {
            owner,
            leaseUntil = DbTime.ToText(leaseUntil),
            now = DbTime.ToText(now),
        }, cancellationToken);
        return claimed.SingleOrDefault();
    }

    public async Task<IReadOnlyList<string>> RenewLeasesAsync(string owner, IReadOnlyCollection<string> runIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
            return [];
        var sql = $"""
            UPDATE runs SET lease_until = @leaseUntil
            WHERE {database.InList("id", "@runIds")} AND status = 'running' AND lease_owner = @owner
            RETURNING id;
            """;
        return await database.QueryWriteAsync<string>(sql, new
        {
            owner,
            runIds = runIds.ToArray(),
            leaseUntil = DbTime.ToText(leaseUntil),
        }, cancellationToken);
    }

    public async Task ReleaseLeaseAsync(string owner, string runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Just before now: a claim made at this same instant already sees the lease as expired.
        const string sql = "UPDATE runs SET lease_until = @past WHERE id = @runId AND status = 'running' AND lease_owner = @owner;";
        await database.ExecuteWriteAsync(sql, new { owner, runId, past = DbTime.ToText(now.AddTicks(-1)) }, cancellationToken);
    }

    public async Task<int> ReleaseAllLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE runs SET lease_until = @now WHERE status = 'running';";
        return await database.ExecuteWriteAsync(sql, new { now = DbTime.ToText(now.AddTicks(-1)) }, cancellationToken);
    }

    public async Task<bool> RequestCancelAsync(string runId, string requestedBy, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE runs SET cancel_requested_by = @requestedBy WHERE id = @runId AND status = 'running';";
        return await database.ExecuteWriteAsync(sql, new { runId, requestedBy }, cancellationToken) == 1;
    }

    public async Task<IReadOnlyDictionary<string, string>> GetCancelRequestsAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
            return new Dictionary<string, string>();
        var sql = $"SELECT id, cancel_requested_by FROM runs WHERE {database.InList("id", "@ids")} AND status = 'running' AND cancel_requested_by IS NOT NULL;";
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, string By)>(new CommandDefinition(sql, new { ids = runIds.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id, r => r.By, StringComparer.Ordinal);
    }
}
