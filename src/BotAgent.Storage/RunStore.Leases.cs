using System.Data.Common;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
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

    public Task<bool> ResolveStepAsync(StepResolution resolution, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction, ct) => ResolveStepAsync(connection, transaction, resolution, ct), cancellationToken);

    // The status is read under the row's lock (PostgreSQL) or in the exclusive writer (SQLite), so the
    // check, the record and the move are one step: nothing needs undoing when the attempt was resolved already.
    private async Task<bool> ResolveStepAsync(DbConnection connection, DbTransaction transaction, StepResolution resolution, CancellationToken cancellationToken)
    {
        var status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            $"SELECT status FROM runs WHERE id = @RunId{database.ForUpdate};", new { resolution.RunId }, transaction, cancellationToken: cancellationToken));
        if (status != RunStatus.AwaitingDecision.ToWire())
            return false;
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO step_resolutions (run_id, attempt_id, decision, decided_by_id, decided_by_name, decided_at)
            VALUES (@RunId, @AttemptId, @Decision, @DecidedById, @DecidedByName, @DecidedAt)
            ON CONFLICT (attempt_id) DO NOTHING;
            """, new
        {
            resolution.RunId,
            resolution.AttemptId,
            Decision = resolution.Kind.ToString().ToLowerInvariant(),
            DecidedById = resolution.DecidedBy.Id,
            DecidedByName = resolution.DecidedBy.Name,
            DecidedAt = DbTime.ToText(resolution.DecidedAt),
        }, transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
            return false;
        var to = resolution.Kind == StepResolutionKind.Stop ? RunStatus.Cancelled : RunStatus.Approved;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE runs SET status = @To, updated_at = @Now, outcome = COALESCE(@Outcome, outcome)
            WHERE id = @RunId;
            """, new
        {
            resolution.RunId,
            To = to.ToWire(),
            Now = DbTime.ToText(resolution.DecidedAt),
            Outcome = to == RunStatus.Cancelled ? $"stopped by {resolution.DecidedBy.Name} after step {resolution.StepId}'s outcome was unknown" : null,
        }, transaction, cancellationToken: cancellationToken));
        return true;
    }

    public async Task<IReadOnlyList<StepResolution>> GetResolutionsAsync(string runId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.run_id, r.attempt_id, a.step_id, r.decision, r.decided_by_id, r.decided_by_name, r.decided_at
            FROM step_resolutions r JOIN step_attempts a ON a.id = r.attempt_id
            WHERE r.run_id = @runId ORDER BY r.id;
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ResolutionRow>(new CommandDefinition(sql, new { runId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new StepResolution(
            r.RunId, r.AttemptId, r.StepId,
            r.Decision switch { "done" => StepResolutionKind.Done, "retry" => StepResolutionKind.Retry, _ => StepResolutionKind.Stop },
            new Member(r.DecidedById, r.DecidedByName), DbTime.Parse(r.DecidedAt)))];
    }

    private sealed class ResolutionRow
    {
        public string RunId { get; set; } = "";
        public long AttemptId { get; set; }
        public string StepId { get; set; } = "";
        public string Decision { get; set; } = "";
        public string DecidedById { get; set; } = "";
        public string DecidedByName { get; set; } = "";
        public string DecidedAt { get; set; } = "";
    }
}
