using System.Data.Common;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Runs;
using Dapper;

namespace BotAgent.Storage;

public sealed partial class RunStore
{
    public Task<bool> ResolveStepAsync(StepResolution resolution, Announcement announce, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (!await ResolveStepAsync(connection, transaction, resolution, ct))
                return false;
            await AnnounceAsync(connection, transaction, resolution.RunId, announce, time.GetUtcNow(), ct);
            return true;
        }, cancellationToken);

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
