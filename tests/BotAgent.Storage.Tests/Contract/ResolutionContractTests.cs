using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Testing;

namespace BotAgent.Storage.Tests.Contract;

/// <summary>A person's decision on a step whose outcome is unknown: recorded once, and it moves the run once.</summary>
public sealed class ResolutionContractTests : RunStoreContract
{
    private static readonly Member Carol = new("29:carol", "Carol", "aad-carol");

    private StepResolution Resolution(string runId, long attemptId, StepResolutionKind kind, Member? by = null) =>
        new(runId, attemptId, "s1", kind, by ?? Carol, Now.AddMinutes(2));

    [Theory, OnInMemory(StepResolutionKind.Done), OnInMemory(StepResolutionKind.Retry), OnSqlite(StepResolutionKind.Done), OnSqlite(StepResolutionKind.Retry), OnPostgres(StepResolutionKind.Done), OnPostgres(StepResolutionKind.Retry)]
    public async Task Done_or_retry_moves_the_run_back_to_approved_and_it_can_be_claimed(StoreProvider provider, StepResolutionKind kind)
    {
        await UseAsync(provider);
        var (run, attemptId) = await AwaitingDecisionRunAsync();

        var resolved = await Transitions.ResolveStepAsync(Resolution(run.Id, attemptId, kind), None);

        Assert.True(resolved);
        var loaded = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.Approved, loaded.Status);
        Assert.Null(loaded.Outcome);
        Assert.Equal(Now.AddMinutes(2), loaded.UpdatedAt);
        var at = Now.AddMinutes(3);
        Assert.Equal(run.Id, await Leases.ClaimAsync("instance-b", at, at.AddMinutes(5), None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Stop_cancels_the_run_and_says_who_stopped_it_after_which_step(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, attemptId) = await AwaitingDecisionRunAsync();

        Assert.True(await Transitions.ResolveStepAsync(Resolution(run.Id, attemptId, StepResolutionKind.Stop), None));

        var loaded = (await Runs.GetAsync(run.Id, None))!;
        Assert.Equal(RunStatus.Cancelled, loaded.Status);
        Assert.Contains("Carol", loaded.Outcome);
        Assert.Contains("s1", loaded.Outcome);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Recorded_resolution_reads_back_with_its_step_and_who_decided(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, attemptId) = await AwaitingDecisionRunAsync();
        var (otherRun, otherAttempt) = await AwaitingDecisionRunAsync();
        await Transitions.ResolveStepAsync(Resolution(otherRun.Id, otherAttempt, StepResolutionKind.Stop), None);

        await Transitions.ResolveStepAsync(Resolution(run.Id, attemptId, StepResolutionKind.Retry), None);

        var resolution = Assert.Single(await Runs.GetResolutionsAsync(run.Id, None));
        Assert.Equal(run.Id, resolution.RunId);
        Assert.Equal(attemptId, resolution.AttemptId);
        Assert.Equal("s1", resolution.StepId);
        Assert.Equal(StepResolutionKind.Retry, resolution.Kind);
        Assert.Equal("29:carol", resolution.DecidedBy.Id);
        Assert.Equal("Carol", resolution.DecidedBy.Name);
        Assert.Equal(Now.AddMinutes(2), resolution.DecidedAt);
        Assert.Empty(await Runs.GetResolutionsAsync("no-such-run", None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Second_resolution_is_refused_and_changes_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, attemptId) = await AwaitingDecisionRunAsync();
        Assert.True(await Transitions.ResolveStepAsync(Resolution(run.Id, attemptId, StepResolutionKind.Done), None));

        var second = await Transitions.ResolveStepAsync(Resolution(run.Id, attemptId, StepResolutionKind.Stop, new Member("29:dan", "Dan")), None);

        Assert.False(second);
        Assert.Equal(RunStatus.Approved, await StatusAsync(run.Id));
        Assert.Equal(StepResolutionKind.Done, Assert.Single(await Runs.GetResolutionsAsync(run.Id, None)).Kind);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Twenty_concurrent_resolutions_succeed_once_and_the_run_follows_the_winner(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, attemptId) = await AwaitingDecisionRunAsync();
        var kinds = new[] { StepResolutionKind.Done, StepResolutionKind.Retry, StepResolutionKind.Stop };

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            (Kind: kinds[i % 3], Won: await Transitions.ResolveStepAsync(Resolution(run.Id, attemptId, kinds[i % 3], new Member($"29:p{i}", $"Person {i}")), None)))));

        var winner = Assert.Single(results, r => r.Won);
        Assert.Equal(winner.Kind == StepResolutionKind.Stop ? RunStatus.Cancelled : RunStatus.Approved, await StatusAsync(run.Id));
        Assert.Equal(winner.Kind, Assert.Single(await Runs.GetResolutionsAsync(run.Id, None)).Kind);
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Resolution_of_a_run_not_awaiting_a_decision_is_refused_and_not_recorded(StoreProvider provider)
    {
        await UseAsync(provider);
        var run = await RunningRunAsync();
        var attemptId = await StartAttemptAsync(run.Id, "s1");

        var resolved = await Transitions.ResolveStepAsync(Resolution(run.Id, attemptId, StepResolutionKind.Done), None);

        Assert.False(resolved);
        Assert.Equal(RunStatus.Running, await StatusAsync(run.Id));
        Assert.Empty(await Runs.GetResolutionsAsync(run.Id, None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task Resolving_an_already_resolved_attempt_again_is_refused_even_when_the_run_awaits_a_decision_again(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, attemptId) = await AwaitingDecisionRunAsync();
        Assert.True(await Transitions.ResolveStepAsync(Resolution(run.Id, attemptId, StepResolutionKind.Retry), None));
        var at = Now.AddMinutes(3);
        Assert.Equal(run.Id, await Leases.ClaimAsync("instance-b", at, at.AddMinutes(5), None));
        Assert.True(await Transitions.TransitionAsync(run.Id, RunStatus.Running, RunStatus.AwaitingDecision, RunChanges.None, None));

        var again = await Transitions.ResolveStepAsync(Resolution(run.Id, attemptId, StepResolutionKind.Stop), None);

        Assert.False(again);
        Assert.Equal(RunStatus.AwaitingDecision, await StatusAsync(run.Id)); // the status change was rolled back
        Assert.Single(await Runs.GetResolutionsAsync(run.Id, None));
    }

    [Theory, OnInMemory, OnSqlite, OnPostgres]
    public async Task A_recorded_step_decision_queues_its_announcement_and_a_second_one_queues_nothing(StoreProvider provider)
    {
        await UseAsync(provider);
        var (run, attemptId) = await AwaitingDecisionRunAsync();
        Announcement announce = resolved => [Reporter.SummaryPost(resolved, resolved.Status, "stopped by Carol", [])];

        Assert.True(await Transitions.ResolveStepAsync(new StepResolution(run.Id, attemptId, "s1", StepResolutionKind.Stop, Carol, Now), announce, None));
        Assert.False(await Transitions.ResolveStepAsync(new StepResolution(run.Id, attemptId, "s1", StepResolutionKind.Retry, Carol, Now), announce, None));

        Assert.Equal([$"post summary:{run.Id}:1"], await QueuedAsync(run.Id));
    }
}
