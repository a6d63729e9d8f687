using System.Data.Common;
using System.Text.Json;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Serialization;
using Dapper;

namespace BotAgent.Storage;

/// <summary>
/// Runs and everything recorded about them, behind every run port Core has: one class, since the ports are cuts of one
/// set of tables by what their callers need, not separate stores.
/// </summary>
public sealed partial class RunStore(Database database, TimeProvider time) : IRunStore, IRunTransitions, IRunLeases, IRunQueries, IRunReminders
{
    private const string RunColumns =
        "id, status, goal, requester_json, conversation_json, created_at, updated_at, plan_version, plan_hash, risk_level, approval_json, expires_at, outcome, source_key, goal_json, activity";

    public async Task<Run> CreateAsync(Run run, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO runs (id, status, goal, requester_id, requester_json, conversation_key, conversation_json, created_at, updated_at, source_key)
            VALUES (@Id, @Status, @Goal, @RequesterId, @RequesterJson, @ConversationKey, @ConversationJson, @CreatedAt, @UpdatedAt, @SourceKey)
            ON CONFLICT DO NOTHING;
            """;
        var args = new
        {
            run.Id,
            Status = run.Status.ToWire(),
            run.Goal,
            RequesterId = run.Requester.Id,
            RequesterJson = JsonSerializer.Serialize(run.Requester, CoreJsonContext.Default.Member),
            ConversationKey = run.Conversation.OrderingKey,
            ConversationJson = JsonSerializer.Serialize(run.Conversation, CoreJsonContext.Default.ConversationKey),
            CreatedAt = DbTime.ToText(run.CreatedAt),
            UpdatedAt = DbTime.ToText(run.UpdatedAt),
            run.SourceKey,
        };
        var inserted = await database.ExecuteWriteAsync(sql, args, cancellationToken);
        if (inserted == 1 || run.SourceKey is null)
            return run;
        // Made before, from the same inbound activity: that run is the one.
        await using var connection = await database.OpenAsync(cancellationToken);
        var existing = await connection.QuerySingleAsync<RunRow>(new CommandDefinition(
            $"SELECT {RunColumns} FROM runs WHERE source_key = @SourceKey;", new { run.SourceKey }, cancellationToken: cancellationToken));
        return existing.ToRun();
    }

    public async Task<Run?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {RunColumns} FROM runs WHERE id = @runId;";
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(sql, new { runId }, cancellationToken: cancellationToken));
        return row?.ToRun();
    }

    public async Task<bool> SavePlanAsync(string runId, PlanVersion plan, CancellationToken cancellationToken)
    {
        const string insert = """
            INSERT INTO plan_versions (run_id, version, hash, planner, plan_json, created_at)
            VALUES (@runId, @Version, @Hash, @Planner, @PlanJson, @CreatedAt)
            ON CONFLICT (run_id, version) DO NOTHING;
            """;
        const string update = """
            UPDATE runs SET plan_version = v.version, plan_hash = v.hash, updated_at = @CreatedAt,
                risk_level = CASE WHEN v.hash = @Hash THEN @Risk ELSE runs.risk_level END
            FROM (SELECT version, hash FROM plan_versions WHERE run_id = @runId AND version = @Version) AS v
            WHERE runs.id = @runId;
            """;
        var args = new
        {
            runId,
            plan.Version,
            plan.Hash,
            plan.Planner,
            PlanJson = PlanDocument.ToJson(plan.Plan),
            CreatedAt = DbTime.ToText(plan.CreatedAt),
            Risk = plan.Plan.RiskLevel.ToWire(),
        };
        return await database.WriteAsync(async (connection, transaction, ct) =>
        {
            var stored = await connection.ExecuteAsync(new CommandDefinition(insert, args, transaction, cancellationToken: ct)) == 1;
            await connection.ExecuteAsync(new CommandDefinition(update, args, transaction, cancellationToken: ct));
            return stored;
        }, cancellationToken);
    }

    public Task SetActivityAsync(string runId, string? activity, CancellationToken cancellationToken) =>
        database.ExecuteWriteAsync("UPDATE runs SET activity = @activity WHERE id = @runId;", new { runId, activity }, cancellationToken);

    public async Task<PlanVersion?> GetPlanAsync(string runId, int version, CancellationToken cancellationToken)
    {
        const string sql = "SELECT version, hash, planner, plan_json, created_at FROM plan_versions WHERE run_id = @runId AND version = @version;";
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition(sql, new { runId, version }, cancellationToken: cancellationToken));
        return row is null ? null : new PlanVersion(row.Version, row.Hash, PlanDocument.FromJson(row.PlanJson), row.Planner, DbTime.Parse(row.CreatedAt));
    }

    public Task<Run?> TransitionAsync(string runId, RunStatus from, RunStatus to, RunChanges changes, Announcement announce, CancellationToken cancellationToken)
    {
        from.EnsureCanMoveTo(to);
        // Leaving 'running' ends the lease; nothing else holds one.
        const string sql = """
            UPDATE runs SET
                status = @To,
                updated_at = @Now,
                outcome = COALESCE(@Outcome, outcome),
                expires_at = COALESCE(@ExpiresAt, expires_at),
                reminded_at = CASE WHEN @ExpiresAt IS NULL THEN reminded_at END,
                risk_level = COALESCE(@Risk, risk_level),
                approval_json = COALESCE(@ApprovalJson, approval_json),
                goal_json = COALESCE(@GoalJson, goal_json),
                goal_verdict = COALESCE(@GoalVerdict, goal_verdict),
                activity = NULL,
                lease_owner = NULL,
                lease_until = NULL
            WHERE id = @runId AND status = @From AND (@HeldBy IS NULL OR lease_owner = @HeldBy);
            """;
        const string interrupted = """
            UPDATE step_attempts SET state = 'outcome_unknown', finished_at = @Now, summary = @InterruptedAttempts, error = 'interrupted'
            WHERE run_id = @runId AND state = 'running';
            """;
        var now = time.GetUtcNow();
        var args = new
        {
            runId,
            From = from.ToWire(),
            To = to.ToWire(),
            Now = DbTime.ToText(now),
            changes.Outcome,
            ExpiresAt = DbTime.ToText(changes.ExpiresAt),
            Risk = changes.RiskLevel?.ToWire(),
            ApprovalJson = changes.Approval is null ? null : JsonSerializer.Serialize(changes.Approval, CoreJsonContext.Default.ApprovalRequirement),
            GoalJson = changes.Goal is null ? null : JsonSerializer.Serialize(changes.Goal, CoreJsonContext.Default.GoalVerdict),
            GoalVerdict = changes.Goal?.Wire, // what the dashboard counts by (migration 0013)
            changes.HeldBy,
            changes.InterruptedAttempts,
        };
        return database.WriteAsync(async (connection, transaction, ct) =>
        {
            if (await connection.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: ct)) != 1)
                return null;
            if (changes.InterruptedAttempts is not null)
                await connection.ExecuteAsync(new CommandDefinition(interrupted, args, transaction, cancellationToken: ct));
            return await AnnounceAsync(connection, transaction, runId, announce, now, ct);
        }, cancellationToken);
    }

    /// <summary>Reads the run as the transaction left it and queues what its move announces, in that transaction.</summary>
    private static async Task<Run> AnnounceAsync(DbConnection connection, DbTransaction transaction, string runId, Announcement announce, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var run = (await connection.QuerySingleAsync<RunRow>(new CommandDefinition(
            $"SELECT {RunColumns} FROM runs WHERE id = @runId;", new { runId }, transaction, cancellationToken: cancellationToken))).ToRun();
        foreach (var message in announce(run))
            await OutboxStore.EnqueueAsync(connection, transaction, message, now, cancellationToken);
        return run;
    }

    // The status check, the insert and the transition see one state, even with concurrent clicks on
    // several instances: the run's row is locked (PostgreSQL) or the write transaction is exclusive (SQLite).
    public Task<DecisionRecord> DecideAsync(ApprovalDecision decision, int quorum, Announcement announce, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction, ct) =>
        {
            var record = await DecideAsync(connection, transaction, decision, quorum, ct);
            if (record.Kind is DecisionRecordKind.Counted or DecisionRecordKind.Closed)
                await AnnounceAsync(connection, transaction, decision.RunId, announce, time.GetUtcNow(), ct);
            return record;
        }, cancellationToken);

    private async Task<DecisionRecord> DecideAsync(DbConnection connection, DbTransaction transaction, ApprovalDecision decision, int quorum, CancellationToken cancellationToken)
    {
        var current = await connection.QuerySingleAsync<(string Status, string? PlanHash)>(new CommandDefinition(
            $"SELECT status, plan_hash FROM runs WHERE id = @RunId{database.ForUpdate};", new { decision.RunId }, transaction, cancellationToken: cancellationToken));
        var status = RunStatuses.Parse(current.Status);
        if (status != RunStatus.AwaitingApproval || current.PlanHash != decision.PlanHash)
            return new DecisionRecord(DecisionRecordKind.NotAwaiting, status, 0);

        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO approval_decisions (run_id, plan_version, plan_hash, approver_id, approver_name, approver_aad_object_id, decision, decided_at, asked_at, latest)
            VALUES (@RunId, @PlanVersion, @PlanHash, @ApproverId, @ApproverName, @AadObjectId, @Decision, @DecidedAt,
                    (SELECT created_at FROM plan_versions WHERE run_id = @RunId AND version = @PlanVersion), 1)
            ON CONFLICT (run_id, plan_version, approver_id) DO NOTHING;
            """, new
        {
            decision.RunId,
            decision.PlanVersion,
            decision.PlanHash,
            ApproverId = decision.Approver.Id,
            ApproverName = decision.Approver.Name,
            decision.Approver.AadObjectId,
            Decision = decision.Verb == ApprovalVerb.Approve ? "approve" : "reject",
            DecidedAt = DbTime.ToText(decision.DecidedAt),
        }, transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
            return new DecisionRecord(DecisionRecordKind.Duplicate, status, 0);
        // The dashboard's decision wait is the last decision's on a plan version (migration 0014).
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE approval_decisions SET latest = NULL WHERE run_id = @RunId AND plan_version = @PlanVersion AND latest = 1 AND approver_id <> @ApproverId;",
            new { decision.RunId, decision.PlanVersion, ApproverId = decision.Approver.Id }, transaction, cancellationToken: cancellationToken));

        var approvals = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM approval_decisions WHERE run_id = @RunId AND plan_version = @PlanVersion AND decision = 'approve';",
            new { decision.RunId, decision.PlanVersion }, transaction, cancellationToken: cancellationToken));

        RunStatus? next = decision.Verb == ApprovalVerb.Reject ? RunStatus.Rejected : approvals >= quorum ? RunStatus.Approved : null;
        if (next is { } target)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE runs SET status = @To, updated_at = @Now, outcome = @Outcome WHERE id = @RunId;",
                new
                {
                    To = target.ToWire(),
                    Now = DbTime.ToText(decision.DecidedAt),
                    Outcome = target == RunStatus.Rejected ? $"rejected by {decision.Approver.Name}" : null,
                    decision.RunId,
                },
                transaction, cancellationToken: cancellationToken));
        }
        return next is { } moved
            ? new DecisionRecord(DecisionRecordKind.Closed, moved, approvals)
            : new DecisionRecord(DecisionRecordKind.Counted, status, approvals);
    }

    public async Task<IReadOnlyList<ApprovalDecision>> GetDecisionsAsync(string runId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT run_id, plan_version, plan_hash, approver_id, approver_name, approver_aad_object_id, decision, decided_at
            FROM approval_decisions WHERE run_id = @runId ORDER BY id;
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition(sql, new { runId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ApprovalDecision(
            r.RunId, r.PlanVersion, r.PlanHash, new Member(r.ApproverId, r.ApproverName, r.ApproverAadObjectId),
            r.Decision == "approve" ? ApprovalVerb.Approve : ApprovalVerb.Reject, DbTime.Parse(r.DecidedAt)))];
    }

    public async Task<IReadOnlyList<Run>> ExpireOverdueAsync(DateTimeOffset now, Announcement announce, CancellationToken cancellationToken)
    {
        const string due = "SELECT id FROM runs WHERE status IN ('awaiting_approval', 'awaiting_decision') AND expires_at <= @now ORDER BY expires_at;";
        const string expire = """
            UPDATE runs SET
                status = CASE WHEN status = 'awaiting_approval' THEN 'expired' ELSE 'cancelled' END,
                updated_at = @now,
                outcome = CASE WHEN status = 'awaiting_approval' THEN 'approval expired'
                               ELSE 'stopped: nobody said in time what happened to the step whose outcome was unknown' END
            WHERE id = @id AND status IN ('awaiting_approval', 'awaiting_decision') AND expires_at <= @now;
            """;
        List<string> ids;
        await using (var connection = await database.OpenAsync(cancellationToken))
            ids = [.. await connection.QueryAsync<string>(new CommandDefinition(due, new { now = DbTime.ToText(now) }, cancellationToken: cancellationToken))];
        // One write per run, each with what it announces: a long backlog neither holds the writer (SQLite) or many row
        // locks (PostgreSQL) at once, nor hangs on one run; a run decided meanwhile is left as it is.
        List<Run> ended = [];
        foreach (var id in ids)
        {
            var run = await database.WriteAsync(async (connection, transaction, ct) =>
                await connection.ExecuteAsync(new CommandDefinition(expire, new { id, now = DbTime.ToText(now) }, transaction, cancellationToken: ct)) == 1
                    ? await AnnounceAsync(connection, transaction, id, announce, now, ct)
                    : null, cancellationToken);
            if (run is not null)
                ended.Add(run);
        }
        return ended;
    }

    public async Task<IReadOnlyList<string>> CardsBehindAsync(DateTimeOffset since, DateTimeOffset settledBefore, int max, CancellationToken cancellationToken)
    {
        // Only runs that have a card (a post queued under its key): one that never got one is not refreshed into being.
        const string sql = """
            SELECT r.id FROM runs r
            WHERE r.updated_at > @since AND r.updated_at < @settledBefore AND r.plan_version > 0
              AND EXISTS (SELECT 1 FROM outbox p WHERE p.run_id = r.id AND p.kind = 'post' AND p.message_key LIKE 'card:%')
              AND r.updated_at > (SELECT max(o.created_at) FROM outbox o WHERE o.run_id = r.id AND o.message_key LIKE 'card:%')
            ORDER BY r.updated_at
            LIMIT @max;
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(sql,
            new { since = DbTime.ToText(since), settledBefore = DbTime.ToText(settledBefore), max }, cancellationToken: cancellationToken));
        return [.. ids];
    }

    public async Task<IReadOnlyList<string>> TakeDueRemindersAsync(DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE runs SET reminded_at = @now
            WHERE status IN ('awaiting_approval', 'awaiting_decision') AND reminded_at IS NULL AND expires_at > @now AND expires_at <= @horizon
            RETURNING id;
            """;
        return await database.QueryWriteAsync<string>(sql, new
        {
            now = DbTime.ToText(now),
            horizon = DbTime.ToText(now + window),
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes finished runs (and everything recorded about them) last updated before <paramref name="cutoff"/>, and
    /// processed inbound items received before it, and hosted conversations' activities (the Direct Line log) written before it.
    /// The conversations themselves stay, with their last sequence number, so a client's watermark keeps its meaning.
    /// Only the store's own retention service calls this, so it is no Core port.
    /// </summary>
    public async Task<int> DeleteFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        const string old = "SELECT id FROM runs WHERE status IN ('succeeded', 'failed', 'cancelled', 'rejected', 'expired', 'policy_denied') AND updated_at < @cutoff";
        const string sql = $"""
            DELETE FROM planning_events WHERE run_id IN ({old});
            DELETE FROM execution_events WHERE run_id IN ({old});
            DELETE FROM outbox WHERE run_id IN ({old});
            DELETE FROM runs WHERE id IN ({old});
            """;
        const string inbox = "DELETE FROM inbox WHERE status IN ('done', 'failed') AND received_at < @cutoff;";
        const string hosted = "DELETE FROM hosted_activities WHERE created_at < @cutoff;";
        var args = new { cutoff = DbTime.ToText(cutoff) };
        return await database.WriteAsync(async (connection, transaction, ct) =>
        {
            var before = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM runs;", transaction: transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(inbox, args, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(hosted, args, transaction, cancellationToken: ct));
            var after = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM runs;", transaction: transaction, cancellationToken: ct));
            return before - after;
        }, cancellationToken);
    }
}
