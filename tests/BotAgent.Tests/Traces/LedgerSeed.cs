using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using BotAgent.Storage;
using BotAgent.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Tests.Traces;

/// <summary>
/// Writes runs into a bot's SQLite file through the bot's own stores, on a clock the test moves, so that the
/// trace pages the bot then serves are the same bytes on every machine (times, attempt ids, lane positions).
/// </summary>
internal sealed class LedgerSeed : IAsyncDisposable
{
    /// <summary>Far enough ahead that the bot neither expires nor reminds nor deletes what is seeded.</summary>
    public static readonly DateTimeOffset Start = new(2031, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly SteppedClock _clock = new();

    private LedgerSeed(string databasePath)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:BotAgent"] = $"Data Source={databasePath}" })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddLogging();
        services.AddBotAgentStorage(configuration);
        _services = services.BuildServiceProvider();
    }

    public IRunStore Runs => _services.GetRequiredService<IRunStore>();

    /// <summary>Seeding writes the store directly: what the run journal would also do (trace, card) is seeded by hand.</summary>
    public IRunTransitions Transitions => _services.GetRequiredService<IRunTransitions>();

    public IStepAttemptStore Attempts => _services.GetRequiredService<IStepAttemptStore>();

    public static async Task<LedgerSeed> OpenAsync(string databasePath)
    {
        var seed = new LedgerSeed(databasePath);
        await seed._services.GetRequiredService<IStoreMigrator>().MigrateAsync(CancellationToken.None);
        return seed;
    }

    /// <summary>Moves the clock to <paramref name="seconds"/> after <see cref="Start"/>; returns that instant.</summary>
    public DateTimeOffset At(double seconds) => _clock.Now = Start.AddMilliseconds(Math.Round(seconds * 1000));

    public async Task<Run> CreateAsync(string id, string goal, Member requester, ConversationKey conversation, double at)
    {
        var now = At(at);
        return await Runs.CreateAsync(new Run
        {
            Id = id, Status = RunStatus.Planning, Goal = goal, Requester = requester, Conversation = conversation, CreatedAt = now, UpdatedAt = now,
        }, CancellationToken.None);
    }

    public Task PlanAsync(string runId, int version, string hash, Plan plan, double at, string planner = "llm:gpt-4o-mini") =>
        Runs.SavePlanAsync(runId, new PlanVersion(version, hash, plan, planner, At(at)), CancellationToken.None);

    public async Task MoveAsync(string runId, RunStatus from, RunStatus to, double at, RunChanges? changes = null)
    {
        At(at);
        if (!await Transitions.TransitionAsync(runId, from, to, changes ?? RunChanges.None, CancellationToken.None))
            throw new InvalidOperationException($"{runId} is not {from}.");
    }

    public Task<DecisionRecord> DecideAsync(string runId, int version, string hash, Member who, ApprovalVerb verb, double at, int quorum = 1) =>
        Transitions.DecideAsync(new ApprovalDecision(runId, version, hash, who, verb, At(at)), quorum, CancellationToken.None);

    public async Task<long> AttemptAsync(
        string runId, int version, string stepId, int attempt, string tool, string args, double from, double? to, StepState state,
        string? summary = null, string? output = null, string? error = null)
    {
        var id = await Attempts.StartAsync(
            new StepAttempt(0, runId, version, stepId, 0, attempt, tool, args, $"{runId}:{version}:{stepId}", StepState.Running, At(from)), CancellationToken.None);
        if (to is { } finished)
            await Attempts.FinishAsync(id, state, At(finished), summary ?? "", output, error, null, CancellationToken.None);
        return id;
    }

    public Task PlanningAsync(string runId, string type, double at, JsonObject? data = null)
    {
        At(at);
        return _services.GetRequiredService<ITraceSink>().PlanningAsync(runId, type, data, CancellationToken.None);
    }

    public Task ExecutionAsync(string runId, string type, double at, JsonObject? data = null, string? stepId = null, int? attempt = null)
    {
        At(at);
        return _services.GetRequiredService<ITraceSink>().ExecutionAsync(runId, type, stepId, attempt, data, CancellationToken.None);
    }

    public static JsonObject ModelCall(string purpose, int input, int output, int latencyMs) => new()
    {
        ["purpose"] = purpose, ["provider"] = "openai", ["model"] = "gpt-4o-mini", ["inputTokens"] = input, ["outputTokens"] = output,
        ["latencyMs"] = latencyMs, ["finishReason"] = "stop",
    };

    public static PlanStep Step(string id, string title, string tool, string args, RiskLevel risk, string[]? targets = null, Expectation? expect = null) =>
        new(id, title, tool, JsonDocument.Parse(args).RootElement.Clone(), risk, Targets: targets, Expect: expect);

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private sealed class SteppedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = Start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
