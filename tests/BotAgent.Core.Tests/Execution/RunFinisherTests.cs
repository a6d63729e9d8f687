using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using BotAgent.Core.Tests.Fakes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotAgent.Core.Tests.Execution;

public sealed class RunFinisherTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRunStore _store;
    private readonly InMemoryStepAttemptStore _attempts = new();
    private readonly RecordingOutbox _outbox = new();
    private readonly RunFinisher _finisher;

    public RunFinisherTests()
    {
        _store = new InMemoryRunStore(_time) { Attempts = _attempts };
        _finisher = new RunFinisher(new OfflinePlanner(Options.Create(new PlannerOptions())), TestJournal.Create(_store, new RecordingTraceSink(), _time, _outbox),
            new RecordingTraceSink());
    }

    /// <summary>
    /// The PostgreSQL soak (seed 2027) left two attempts 'running' on runs that had ended: a database restart cut the
    /// write of the attempt's end, the run failed as an internal error, and nothing ever resumes a failed run.
    /// </summary>
    [Fact]
    public async Task A_crash_ends_the_run_and_the_attempt_it_cut_off_as_outcome_unknown_and_leaves_finished_attempts_alone()
    {
        var run = await RunningAsync("run-1", "instance-a");
        var done = await _attempts.StartAsync(Attempt(run.Id, "s1"), CancellationToken.None);
        await _attempts.FinishAsync(done, StepState.Succeeded, _time.GetUtcNow(), "ok", null, null, null, CancellationToken.None);
        await _attempts.StartAsync(Attempt(run.Id, "s2"), CancellationToken.None);

        await _finisher.CrashedAsync(run.Id, "instance-a", new TimeoutException("the database restarted"), CancellationToken.None);

        Assert.Equal(RunStatus.Failed, (await _store.GetAsync(run.Id, CancellationToken.None))!.Status);
        var attempts = await _attempts.ListAsync(run.Id, CancellationToken.None);
        Assert.Equal([("s1", StepState.Succeeded), ("s2", StepState.OutcomeUnknown)], attempts.Select(a => (a.StepId, a.State)));
        Assert.Contains(_outbox.Messages, m => m.Kind == OutboundKind.Update && m.MessageKey == Reporter.CardKey(run.Id));
    }

    /// <summary>
    /// The soaks that clicked decision cards found three attempts left 'running': an instance stopped mid-call, the run
    /// was cancelled while nobody held it, and the instance that took it over saw the cancel before it looked at the
    /// attempt.
    /// </summary>
    [Fact]
    public async Task A_cancel_ends_the_run_and_an_attempt_an_earlier_instance_left_open()
    {
        var run = await RunningAsync("run-3", "instance-a");
        await _attempts.StartAsync(Attempt(run.Id, "s1"), CancellationToken.None);

        await _finisher.CancelAsync(run.Id, "instance-a", "Alice", CancellationToken.None);

        Assert.Equal(RunStatus.Cancelled, (await _store.GetAsync(run.Id, CancellationToken.None))!.Status);
        Assert.Equal(StepState.OutcomeUnknown, Assert.Single(await _attempts.ListAsync(run.Id, CancellationToken.None)).State);
        Assert.Contains(_outbox.Messages, m => m.MessageKey == $"summary:{run.Id}:1");
    }

    [Fact]
    public async Task An_instance_that_no_longer_holds_a_running_run_cannot_move_it_on()
    {
        // Held by another instance (this one stalled past its lease): finishing it, or sending it back to people, is not ours.
        var run = await RunningAsync("run-3", "instance-b");
        var journal = TestJournal.Create(_store, new RecordingTraceSink(), _time);

        Assert.Null(await journal.MoveAsync(new RunMove(run.Id, RunStatus.Running, RunStatus.Succeeded, RunChanges.None), CancellationToken.None));
        Assert.Null(await journal.MoveAsync(new RunMove(run.Id, RunStatus.Running, RunStatus.AwaitingDecision, RunChanges.None), CancellationToken.None));

        Assert.Equal(RunStatus.Running, (await _store.GetAsync(run.Id, CancellationToken.None))!.Status);
        Assert.Empty(_outbox.Messages);
    }

    [Theory]
    [InlineData("instance-b")] // the run was taken over by another instance while this one stalled
    [InlineData(null)] // the run was moved on (cancelled) meanwhile
    public async Task A_crash_of_a_run_this_instance_no_longer_holds_touches_nothing(string? otherHolder)
    {
        var run = await RunningAsync("run-2", otherHolder ?? "instance-a");
        if (otherHolder is null)
            await TestJournal.Create(_store, new RecordingTraceSink(), _time).MoveAsync(new RunMove(run.Id, RunStatus.Running, RunStatus.Cancelled, new RunChanges(HeldBy: "instance-a"), RefreshCard: false), CancellationToken.None);
        await _attempts.StartAsync(Attempt(run.Id, "s1"), CancellationToken.None);

        await _finisher.CrashedAsync(run.Id, "instance-a", new InvalidOperationException("boom"), CancellationToken.None);

        Assert.Equal(otherHolder is null ? RunStatus.Cancelled : RunStatus.Running, (await _store.GetAsync(run.Id, CancellationToken.None))!.Status);
        Assert.Equal(StepState.Running, Assert.Single(await _attempts.ListAsync(run.Id, CancellationToken.None)).State);
        Assert.Empty(_outbox.Messages);
    }

    [Fact]
    public async Task A_move_that_committed_returns_its_run_and_queues_its_messages_even_when_its_trace_event_fails()
    {
        var run = await RunningAsync("run-4", "instance-a");
        var journal = TestJournal.Create(_store, new FailingTraceSink(), _time, _outbox);

        var moved = await journal.MoveAsync(new RunMove(run.Id, RunStatus.Running, RunStatus.Succeeded, new RunChanges(HeldBy: "instance-a"),
            new RunTrace("run.finished"), _ => [Reporter.SummaryPost(run, RunStatus.Succeeded, "done", [])]), CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, moved?.Status);
        Assert.Equal(RunStatus.Succeeded, (await _store.GetAsync(run.Id, CancellationToken.None))!.Status);
        Assert.Contains(_outbox.Messages, m => m.MessageKey == $"summary:{run.Id}:1");
    }

    private sealed class FailingTraceSink : Traces.ITraceSink
    {
        public Task PlanningAsync(string runId, string type, System.Text.Json.Nodes.JsonObject? data, CancellationToken cancellationToken) =>
            throw new IOException("disk full");

        public Task ExecutionAsync(string runId, string type, string? stepId, int? attempt, System.Text.Json.Nodes.JsonObject? data, CancellationToken cancellationToken) =>
            throw new IOException("disk full");
    }

    /// <summary>A run approved and claimed by <paramref name="holder"/>: running under its lease.</summary>
    private async Task<Run> RunningAsync(string id, string holder)
    {
        var now = _time.GetUtcNow();
        _store.Seed(TestRuns.At(id, RunStatus.Approved, now));
        Assert.Equal(id, await _store.ClaimAsync(holder, now, now.AddMinutes(2), CancellationToken.None));
        return (await _store.GetAsync(id, CancellationToken.None))!;
    }

    private StepAttempt Attempt(string runId, string stepId) =>
        new(0, runId, 1, stepId, 0, 1, "http.get", "{}", $"{runId}:1:{stepId}", StepState.Running, _time.GetUtcNow());
}
