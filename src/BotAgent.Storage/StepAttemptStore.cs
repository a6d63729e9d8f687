using System.Text.Json;
using BotAgent.Core.Execution;
using BotAgent.Core.Serialization;
using BotAgent.Core.Tools;
using Dapper;

namespace BotAgent.Storage;

public sealed class StepAttemptStore(Database database) : IStepAttemptStore
{
    public async Task<long> StartAsync(StepAttempt attempt, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO step_attempts (run_id, plan_version, step_id, step_index, attempt, tool, args_json, idempotency_key, state, started_at)
            VALUES (@RunId, @PlanVersion, @StepId, @StepIndex, @Attempt, @Tool, @ArgsJson, @IdempotencyKey, @State, @StartedAt)
            RETURNING id;
            """;
        var args = new
        {
            attempt.RunId,
            attempt.PlanVersion,
            attempt.StepId,
            attempt.StepIndex,
            attempt.Attempt,
            attempt.Tool,
            attempt.ArgsJson,
            attempt.IdempotencyKey,
            State = attempt.State.ToWire(),
            StartedAt = DbTime.ToText(attempt.StartedAt),
        };
        return await database.WriteStatementAsync(
            (connection, transaction, ct) => connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, args, transaction, cancellationToken: ct)),
            cancellationToken);
    }

    public async Task FinishAsync(long attemptId, StepState state, DateTimeOffset finishedAt, string summary, string? output, string? error, ToolMeasures? measures, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE step_attempts SET state = @State, finished_at = @FinishedAt, summary = @summary, output = @output, error = @error,
                measures_json = @MeasuresJson
            WHERE id = @attemptId;
            """;
        await database.ExecuteWriteAsync(sql, new
        {
            attemptId,
            State = state.ToWire(),
            FinishedAt = DbTime.ToText(finishedAt),
            summary,
            output,
            error,
            MeasuresJson = measures is null ? null : JsonSerializer.Serialize(measures, CoreJsonContext.Default.ToolMeasures),
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<StepAttempt>> ListAsync(string runId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, run_id, plan_version, step_id, step_index, attempt, tool, args_json, idempotency_key, state,
                   started_at, finished_at, summary, output, error, measures_json
            FROM step_attempts WHERE run_id = @runId ORDER BY id;
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AttemptRow>(new CommandDefinition(sql, new { runId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new StepAttempt(
            r.Id, r.RunId, r.PlanVersion, r.StepId, r.StepIndex, r.Attempt, r.Tool, r.ArgsJson, r.IdempotencyKey,
            StepStates.Parse(r.State), DbTime.Parse(r.StartedAt), DbTime.ParseOrNull(r.FinishedAt), r.Summary, r.Output, r.Error,
            r.MeasuresJson is null ? null : JsonSerializer.Deserialize(r.MeasuresJson, CoreJsonContext.Default.ToolMeasures)))];
    }

    private sealed class AttemptRow
    {
        public long Id { get; set; }
        public string RunId { get; set; } = "";
        public int PlanVersion { get; set; }
        public string StepId { get; set; } = "";
        public int StepIndex { get; set; }
        public int Attempt { get; set; }
        public string Tool { get; set; } = "";
        public string ArgsJson { get; set; } = "";
        public string IdempotencyKey { get; set; } = "";
        public string State { get; set; } = "";
        public string StartedAt { get; set; } = "";
        public string? FinishedAt { get; set; }
        public string? Summary { get; set; }
        public string? Output { get; set; }
        public string? Error { get; set; }
        public string? MeasuresJson { get; set; }
    }
}
