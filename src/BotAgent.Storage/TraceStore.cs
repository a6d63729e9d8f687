using System.Text.Json.Nodes;
using BotAgent.Core.Traces;
using Dapper;

namespace BotAgent.Storage;

/// <summary>Writes and reads the planning and execution trace events, in their separate tables.</summary>
/// <remarks>
/// Events are appended, not awaited (<see cref="Database.AppendAsync"/>): on SQLite an event is durable with
/// the next write of the run (or anything else), so the trace is never behind a committed state change; a
/// crash can lose only events recorded after the last commit. README, "When things go wrong", says so.
/// </remarks>
public sealed class TraceStore(Database database, TimeProvider time) : ITraceSink, ITraceReader
{
    public async Task PlanningAsync(string runId, string type, JsonObject? data, CancellationToken cancellationToken)
    {
        const string sql = "INSERT INTO planning_events (run_id, type, at, data_json) VALUES (@runId, @type, @at, @data);";
        await database.AppendAsync(sql, new
        {
            runId,
            type,
            at = DbTime.ToText(time.GetUtcNow()),
            data = data?.ToJsonString(),
        }, cancellationToken);
    }

    public async Task ExecutionAsync(string runId, string type, string? stepId, int? attempt, JsonObject? data, CancellationToken cancellationToken)
    {
        const string sql = "INSERT INTO execution_events (run_id, type, at, step_id, attempt, data_json) VALUES (@runId, @type, @at, @stepId, @attempt, @data);";
        await database.AppendAsync(sql, new
        {
            runId,
            type,
            at = DbTime.ToText(time.GetUtcNow()),
            stepId,
            attempt,
            data = data?.ToJsonString(),
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<TraceEvent>> ListAsync(string runId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, run_id, 'planning' AS lane, type, at, NULL AS step_id, NULL AS attempt, data_json FROM planning_events WHERE run_id = @runId
            UNION ALL
            SELECT id, run_id, 'execution' AS lane, type, at, step_id, attempt, data_json FROM execution_events WHERE run_id = @runId
            ORDER BY at, lane DESC, id;
            """;
        await database.FlushAppendsAsync(cancellationToken); // a caller sees the events it recorded
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(sql, new { runId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new TraceEvent(r.Id, r.RunId, r.Lane, r.Type, DbTime.Parse(r.At), r.StepId, (int?)r.Attempt, r.DataJson))];
    }

    private sealed class EventRow
    {
        public long Id { get; set; }
        public string RunId { get; set; } = "";
        public string Lane { get; set; } = "";
        public string Type { get; set; } = "";
        public string At { get; set; } = "";
        public string? StepId { get; set; }
        // long: SQLite hands back INTEGER as Int64, and Dapper's reader is built from the first row's types.
        public long? Attempt { get; set; }
        public string? DataJson { get; set; }
    }
}
