using System.Data.Common;
using BotAgent.Core.Execution;

namespace BotAgent.Storage.Tests.Stores;

public sealed class StepAttemptStoreTests : StoreTest
{
    private async Task<string> CreateRunAsync()
    {
        var run = Samples.NewRun(Now);
        await Store.Runs.CreateAsync(run, None);
        return run.Id;
    }

    private StepAttempt Attempt(string runId, string stepId = "s1", int attempt = 1, int index = 0, string args = "{\"url\":\"https://status.example.com/health\"}") =>
        new(0, runId, 1, stepId, index, attempt, "http.get", args, $"{runId}:1:{stepId}", StepState.Running, Now);

    [Theory, OnSqlite, OnPostgres]
    public async Task Started_attempt_is_listed_as_running_with_its_arguments(StoreProvider provider)
    {
        await UseAsync(provider);
        var runId = await CreateRunAsync();
        var args = "{\"url\":\"https://status.example.com/health\",\"headers\":{\"Accept\":\"application/json\"}}";

        var id = await Store.Attempts.StartAsync(Attempt(runId, args: args), None);

        var listed = Assert.Single(await Store.Attempts.ListAsync(runId, None));
        Assert.True(id > 0);
        Assert.Equal(id, listed.Id);
        Assert.Equal(runId, listed.RunId);
        Assert.Equal(1, listed.PlanVersion);
        Assert.Equal("s1", listed.StepId);
        Assert.Equal(0, listed.StepIndex);
        Assert.Equal(1, listed.Attempt);
        Assert.Equal("http.get", listed.Tool);
        Assert.Equal(args, listed.ArgsJson);
        Assert.Equal($"{runId}:1:s1", listed.IdempotencyKey);
        Assert.Equal(StepState.Running, listed.State);
        Assert.Equal(Now, listed.StartedAt);
        Assert.Null(listed.FinishedAt);
        Assert.Null(listed.Summary);
        Assert.Null(listed.Output);
        Assert.Null(listed.Error);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Finished_attempt_keeps_a_large_output_whole(StoreProvider provider)
    {
        await UseAsync(provider);
        var runId = await CreateRunAsync();
        var id = await Store.Attempts.StartAsync(Attempt(runId), None);
        var output = string.Concat(Enumerable.Range(0, 200 * 1024 / 8).Select(i => $"{i % 10_000_000:D7}\n"));
        Assert.Equal(200 * 1024, output.Length);

        await Store.Attempts.FinishAsync(id, StepState.Succeeded, Now.AddMilliseconds(420), "HTTP 200 OK in 420 ms", output, null, null, None);

        var listed = Assert.Single(await Store.Attempts.ListAsync(runId, None));
        Assert.Equal(StepState.Succeeded, listed.State);
        Assert.Equal(Now.AddMilliseconds(420), listed.FinishedAt);
        Assert.Equal("HTTP 200 OK in 420 ms", listed.Summary);
        Assert.Equal(output, listed.Output);
        Assert.Null(listed.Error);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task What_the_tool_measured_is_kept_with_the_attempt_for_expectations_after_a_restart(StoreProvider provider)
    {
        await UseAsync(provider);
        var runId = await CreateRunAsync();
        var measured = await Store.Attempts.StartAsync(Attempt(runId), None);
        var unmeasured = await Store.Attempts.StartAsync(Attempt(runId) with { Attempt = 2 }, None);

        await Store.Attempts.FinishAsync(measured, StepState.Succeeded, Now, "3 series", null, null, new BotAgent.Core.Tools.ToolMeasures(200, 3, 1.75), None);
        await Store.Attempts.FinishAsync(unmeasured, StepState.Succeeded, Now, "done", null, null, null, None);

        var listed = await Store.Attempts.ListAsync(runId, None);
        Assert.Equal(new BotAgent.Core.Tools.ToolMeasures(200, 3, 1.75), listed[0].Measures);
        Assert.Null(listed[1].Measures);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Attempts_of_a_run_are_listed_in_order_with_their_end_states_and_errors(StoreProvider provider)
    {
        await UseAsync(provider);
        var runId = await CreateRunAsync();
        var otherRunId = await CreateRunAsync();
        var first = await Store.Attempts.StartAsync(Attempt(runId, attempt: 1), None);
        await Store.Attempts.FinishAsync(first, StepState.Failed, Now.AddSeconds(1), "HTTP 503", "busy", "HTTP 503 Service Unavailable", null, None);
        var second = await Store.Attempts.StartAsync(Attempt(runId, attempt: 2) with { StartedAt = Now.AddSeconds(2) }, None);
        await Store.Attempts.FinishAsync(second, StepState.TimedOut, Now.AddSeconds(17), "timed out after 15 s", null, "timeout", null, None);
        var write = await Store.Attempts.StartAsync(Attempt(runId, stepId: "s2", index: 1), None);
        await Store.Attempts.FinishAsync(write, StepState.OutcomeUnknown, Now.AddSeconds(20), "interrupted", null, "the process stopped during the call", null, None);
        await Store.Attempts.StartAsync(Attempt(otherRunId), None);

        var listed = await Store.Attempts.ListAsync(runId, None);

        Assert.Equal([first, second, write], listed.Select(a => a.Id));
        Assert.Equal([StepState.Failed, StepState.TimedOut, StepState.OutcomeUnknown], listed.Select(a => a.State));
        Assert.Equal("HTTP 503 Service Unavailable", listed[0].Error);
        Assert.Equal("busy", listed[0].Output);
        Assert.Equal("timeout", listed[1].Error);
        Assert.Equal(Now.AddSeconds(2), listed[1].StartedAt);
        Assert.Equal("the process stopped during the call", listed[2].Error);
        Assert.Equal(["s1", "s1", "s2"], listed.Select(a => a.StepId));
        Assert.Empty(await Store.Attempts.ListAsync("no-such-run", None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_end_state_reads_back(StoreProvider provider)
    {
        await UseAsync(provider);
        var runId = await CreateRunAsync();
        StepState[] ends = [StepState.Succeeded, StepState.Failed, StepState.TimedOut, StepState.Cancelled, StepState.OutcomeUnknown, StepState.Skipped];
        foreach (var (state, index) in ends.Select((s, i) => (s, i)))
        {
            var id = await Store.Attempts.StartAsync(Attempt(runId, stepId: $"s{index}", index: index), None);
            await Store.Attempts.FinishAsync(id, state, Now, "done", null, null, null, None);
        }

        Assert.Equal(ends, (await Store.Attempts.ListAsync(runId, None)).Select(a => a.State));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_same_attempt_cannot_be_started_twice(StoreProvider provider)
    {
        await UseAsync(provider);
        var runId = await CreateRunAsync();
        await Store.Attempts.StartAsync(Attempt(runId), None);

        await Assert.ThrowsAnyAsync<DbException>(() => Store.Attempts.StartAsync(Attempt(runId), None));

        Assert.Single(await Store.Attempts.ListAsync(runId, None));
    }
}
