using System.Text.Json.Nodes;

namespace BotAgent.Storage.Tests.Stores;

public sealed class TraceStoreTests : StoreTest
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Planning_and_execution_events_land_in_their_own_tables(StoreProvider provider)
    {
        await UseAsync(provider);
        await Store.Traces.PlanningAsync("run-1", "plan.proposed", new JsonObject { ["version"] = 1 }, None);
        await Store.Traces.ExecutionAsync("run-1", "step.started", "s1", 1, new JsonObject { ["tool"] = "http.get" }, None);
        await Store.Traces.ExecutionAsync("run-1", "step.finished", "s1", 1, null, None);
        // On SQLite events are durable with the next write, not on return (SqliteWriterTests): read after one.
        await Store.Database.FlushAppendsAsync(None);

        Assert.Equal(1L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM planning_events WHERE run_id = 'run-1';"));
        Assert.Equal(2L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM execution_events WHERE run_id = 'run-1';"));
        Assert.Equal("plan.proposed", await Store.ScalarAsync<string>("SELECT type FROM planning_events;"));
        Assert.Equal(0L, await Store.ScalarAsync<long>("SELECT COUNT(*) FROM execution_events WHERE type LIKE 'plan.%';"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task List_returns_both_lanes_in_time_order_with_their_details(StoreProvider provider)
    {
        await UseAsync(provider);
        await Store.Traces.PlanningAsync("run-1", "goal.received", new JsonObject { ["goal"] = "check it" }, None);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.Traces.ExecutionAsync("run-1", "approval.requested", null, null, new JsonObject { ["quorum"] = 1 }, None);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.Traces.ExecutionAsync("run-1", "step.started", "s1", 2, null, None);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.Traces.PlanningAsync("run-1", "plan.proposed", null, None);
        await Store.Traces.PlanningAsync("run-2", "goal.received", null, None);

        var events = await Store.TraceReader.ListAsync("run-1", None);

        Assert.Equal(["goal.received", "approval.requested", "step.started", "plan.proposed"], events.Select(e => e.Type));
        Assert.Equal(["planning", "execution", "execution", "planning"], events.Select(e => e.Lane));
        Assert.All(events, e => Assert.Equal("run-1", e.RunId));
        Assert.Equal(Start, events[0].At);
        Assert.Equal(Start.AddSeconds(2), events[2].At);
        Assert.Equal("check it", JsonNode.Parse(events[0].DataJson!)!["goal"]!.GetValue<string>());
        Assert.Equal("s1", events[2].StepId);
        Assert.Equal(2, events[2].Attempt);
        Assert.Null(events[1].StepId);
        Assert.Null(events[1].Attempt);
        Assert.Null(events[3].DataJson);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Execution_event_with_an_attempt_reads_back_after_an_event_without_one(StoreProvider provider)
    {
        await UseAsync(provider);
        await Store.Traces.ExecutionAsync("run-1", "approval.requested", null, null, null, None);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.Traces.ExecutionAsync("run-1", "step.started", "s1", 1, null, None);

        var events = await Store.TraceReader.ListAsync("run-1", None);

        Assert.Equal([null, 1], events.Select(e => e.Attempt));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Events_at_the_same_instant_list_planning_before_execution(StoreProvider provider)
    {
        await UseAsync(provider);
        await Store.Traces.ExecutionAsync("run-1", "run.started", null, null, null, None);
        await Store.Traces.PlanningAsync("run-1", "plan.proposed", null, None);

        var events = await Store.TraceReader.ListAsync("run-1", None);

        Assert.Equal(["planning", "execution"], events.Select(e => e.Lane));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Run_without_events_lists_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        Assert.Empty(await Store.TraceReader.ListAsync("no-such-run", None));
    }
}
