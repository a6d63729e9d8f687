using Dapper;
using Microsoft.Data.Sqlite;

namespace BotAgent.Storage.Tests.Sqlite;

/// <summary>
/// Statements that run often or behind a page must stay on an index as the store grows (the grown-store benchmark,
/// bench/run's (7), found the outbox recovery scanning every message ever sent, every second).
/// </summary>
public sealed class QueryPlanTests : StoreTest
{
    private async Task<string> PlanAsync(string sql, object args)
    {
        await using var connection = new SqliteConnection($"Data Source={Store.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var steps = await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, args);
        return string.Join(" | ", steps.Select(s => s.Detail));
    }

    [Fact]
    public async Task The_outbox_recovery_reads_only_the_open_messages()
    {
        await UseAsync(StoreProvider.Sqlite);

        var plan = await PlanAsync(OutboxStore.RecoverSql, new { now = "2026-12-07T00:00:00.0000000Z", all = false, cardKeys = "card:%", decisionKeys = "decision:%", answerKeys = "answer:%" });

        Assert.Contains("ix_outbox_open", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN outbox", plan.Replace("SCAN outbox USING INDEX", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_of_runs_of_one_status_is_read_in_order_from_an_index_not_sorted()
    {
        await UseAsync(StoreProvider.Sqlite);

        var plan = await PlanAsync(RunStore.ListSql(" WHERE status = @status"), new { status = "failed", limit = 50, offset = 0 });

        Assert.Contains("ix_runs_status_created", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outbox_claim_reads_the_due_messages_in_index_order_without_sorting_the_backlog()
    {
        await UseAsync(StoreProvider.Sqlite);
        var plan = await PlanAsync(OutboxStore.ClaimSql(""), new { owner = "me", max = 16, now = "2026-12-07T00:00:00.0000000Z", leaseUntil = "2026-12-07T00:01:00.0000000Z" });

        Assert.Contains("ix_outbox_due", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboards_decision_waits_are_one_index_range_without_grouping_or_lookups()
    {
        await UseAsync(StoreProvider.Sqlite);

        var plan = await PlanAsync(RunStatisticsStore.DecisionsSql, new { from = "2026-11-07T00:00:00.0000000Z", to = "2026-12-07T00:00:00.0000000Z", maxDecisions = 500 });

        Assert.Contains("COVERING INDEX ix_approval_decisions_latest", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboards_counts_read_indexes_not_the_rows_of_the_period()
    {
        await UseAsync(StoreProvider.Sqlite);
        var period = new { from = "2026-11-07T00:00:00.0000000Z", to = "2026-12-07T00:00:00.0000000Z", maxTools = 20 };

        Assert.Contains("COVERING INDEX ix_runs_created_verdict", await PlanAsync(RunStatisticsStore.RunsSql, period), StringComparison.Ordinal);
        Assert.Contains("COVERING INDEX ix_step_attempts_started_tool", await PlanAsync(RunStatisticsStore.ToolsSql, period), StringComparison.Ordinal);
    }
}
