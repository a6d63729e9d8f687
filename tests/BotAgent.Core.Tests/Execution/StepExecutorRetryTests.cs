using System.Text.Json;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Policy;
using BotAgent.Core.Runs;
using BotAgent.Core.Tests.Fakes;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotAgent.Core.Tests.Execution;

/// <summary>Retries, backoff and timeouts of one step, all on the executor's clock.</summary>
public sealed class StepExecutorRetryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryBaseDelay = TimeSpan.FromSeconds(10);
    private static readonly Member Rita = new("u-rita", "Rita", ProvenBy: "msteams");
    private static readonly ConversationKey Conversation =
        new("botframework", "msteams", "19:team-channel@thread.tacv2", "goal-activity", new Member("bot-1", "BotAgent"));

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly RecordingAttempts _attempts = new();

    [Fact]
    public async Task A_transient_failure_is_tried_again_only_once_the_backoff_has_passed_on_the_clock()
    {
        var tool = new ScriptedTool(
            _ => Task.FromResult(ToolOutcome.Failure("busy", "503", transient: true)),
            _ => Task.FromResult(ToolOutcome.Success("fine")));

        var execution = ExecuteAsync(tool, maxAttempts: 3, CancellationToken.None);

        // Jitter puts the first retry between half and one and a half times the base delay.
        _time.Advance(RetryBaseDelay * 0.5 - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, tool.Calls);
        Assert.False(execution.IsCompleted);
        _time.Advance(RetryBaseDelay);
        var result = await execution.WaitAsync(Patience);

        Assert.Equal(StepState.Succeeded, result.State);
        Assert.Equal(2, result.Attempts);
        Assert.Equal([(1, StepState.Failed), (2, StepState.Succeeded)], _attempts.Finished);
    }

    [Fact]
    public async Task Attempts_stop_at_the_configured_number()
    {
        var tool = new ScriptedTool(_ => Task.FromResult(ToolOutcome.Failure("busy", "503", transient: true)));

        var execution = ExecuteAsync(tool, maxAttempts: 3, CancellationToken.None);
        // A later retry's wait starts on whichever thread finished the attempt before it: the clock keeps moving until the end.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!execution.IsCompleted && waited.Elapsed < Patience)
        {
            _time.Advance(RetryBaseDelay);
            await Task.Yield();
        }
        var result = await execution.WaitAsync(Patience);

        Assert.Equal(StepState.Failed, result.State);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, tool.Calls);
    }

    [Fact]
    public async Task A_failure_that_is_not_transient_is_not_tried_again()
    {
        var tool = new ScriptedTool(_ => Task.FromResult(ToolOutcome.Failure("not found", "404")));

        var result = await ExecuteAsync(tool, maxAttempts: 3, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(StepState.Failed, result.State);
        Assert.Equal(1, tool.Calls);
    }

    [Fact]
    public async Task Cancelling_during_the_backoff_ends_the_step_without_another_attempt()
    {
        using var cancel = new CancellationTokenSource();
        var tool = new ScriptedTool(
            _ => Task.FromResult(ToolOutcome.Failure("busy", "503", transient: true)),
            _ => Task.FromResult(ToolOutcome.Success("fine")));

        var execution = ExecuteAsync(tool, maxAttempts: 3, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execution.WaitAsync(Patience));
        Assert.Equal(1, tool.Calls);
    }

    [Fact]
    public async Task An_attempt_that_outlasts_the_step_timeout_on_the_clock_times_out()
    {
        var tool = new ScriptedTool(async token =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return ToolOutcome.Success("never");
        });

        var execution = ExecuteAsync(tool, maxAttempts: 1, CancellationToken.None, stepTimeout: TimeSpan.FromSeconds(4));
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(execution.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await execution.WaitAsync(Patience);

        Assert.Equal(StepState.TimedOut, result.State);
        Assert.Equal("Timed out after 4 s", result.Summary);
    }

    [Fact]
    public async Task Cancelling_mid_call_is_not_a_timeout_and_records_the_attempt_as_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        var tool = new ScriptedTool(async token =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return ToolOutcome.Success("never");
        });

        var execution = ExecuteAsync(tool, maxAttempts: 3, cancel.Token, stepTimeout: TimeSpan.FromSeconds(4));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execution.WaitAsync(Patience));
        Assert.Equal([(1, StepState.Cancelled)], _attempts.Finished);
    }

    private Task<StepResult> ExecuteAsync(ITool tool, int maxAttempts, CancellationToken cancellationToken, TimeSpan? stepTimeout = null)
    {
        var executor = new StepExecutor(
            new ToolCatalogue([tool]),
            new ArgumentSchemaValidator(),
            new Permissions(Options.Create(new Dictionary<string, RoleOptions>())),
            new SecretRedactor(),
            _attempts,
            new RecordingTraceSink(),
            _time,
            Options.Create(new ExecutionOptions { MaxAttempts = maxAttempts, RetryBaseDelay = RetryBaseDelay, StepTimeout = stepTimeout }),
            NullLogger<StepExecutor>.Instance);
        var step = new PlanStep("s1", "Check health", tool.Descriptor.Name, JsonDocument.Parse("""{"url":"https://status.example/health"}""").RootElement.Clone(), RiskLevel.ReadOnly);
        var plan = new PlanVersion(1, "hash-v1", new Plan("Check health", [step], RiskLevel.ReadOnly, "It answers"), "offline", _time.GetUtcNow());
        var run = new Run
        {
            Id = "run-1",
            Status = RunStatus.Running,
            Goal = "check health",
            Requester = Rita,
            Conversation = Conversation,
            CreatedAt = _time.GetUtcNow(),
            UpdatedAt = _time.GetUtcNow(),
            PlanVersion = 1,
            PlanHash = plan.Hash,
        };
        return executor.ExecuteAsync(run, plan, 0, 0, new ApprovedScope(plan, ["Bob"], []), cancellationToken);
    }

    /// <summary>An <c>http.get</c> that answers each call with the next script entry (the last one repeats).</summary>
    private sealed class ScriptedTool(params Func<CancellationToken, Task<ToolOutcome>>[] script) : ITool
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ToolDescriptor Descriptor => TestTools.HttpGet;

        public IReadOnlyList<string> CheckArguments(JsonElement args) => [];

        public Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken)
        {
            var index = Interlocked.Increment(ref _calls) - 1;
            return script[Math.Min(index, script.Length - 1)](cancellationToken);
        }
    }

    private sealed class RecordingAttempts : IStepAttemptStore
    {
        private readonly List<StepAttempt> _started = [];
        private readonly List<(int Attempt, StepState State)> _finished = [];

        public IReadOnlyList<(int Attempt, StepState State)> Finished
        {
            get
            {
                lock (_finished)
                    return [.. _finished];
            }
        }

        public Task<long> StartAsync(StepAttempt attempt, CancellationToken cancellationToken)
        {
            lock (_finished)
            {
                _started.Add(attempt);
                return Task.FromResult((long)_started.Count);
            }
        }

        public Task FinishAsync(long attemptId, StepState state, DateTimeOffset finishedAt, string summary, string? output, string? error, ToolMeasures? measures, CancellationToken cancellationToken)
        {
            lock (_finished)
                _finished.Add((_started[(int)attemptId - 1].Attempt, state));
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<StepAttempt>> ListAsync(string runId, CancellationToken cancellationToken)
        {
            lock (_finished)
                return Task.FromResult<IReadOnlyList<StepAttempt>>([.. _started]);
        }
    }
}
