using BotAgent.Testing;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using BotAgent.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Playground.Tests;

/// <summary>
/// Fills a bot's SQLite file, through the bot's own stores, with runs whose dashboard numbers are known: in the week
/// ending <see cref="Today"/>, six runs (day 18: 2 met, 1 not met, 1 rejected; day 19: none; day 20: 1 inconclusive,
/// 1 still planning), four plan cards decided after 1, 2, 3 and 10 minutes, http.get failing 2 of 4 attempts and
/// files.write none of 2, and three model calls (1,800 tokens on day 18, 350 on day 20); one more met run on day 13,
/// outside the week but inside 30 days.
/// </summary>
internal sealed class DashboardSeed : IAsyncDisposable
{
    public static readonly DateTimeOffset Today = new(2031, 5, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day18 = new(2031, 5, 18, 0, 0, 0, TimeSpan.Zero);

    private static readonly Member Alice = new("user-alice", "Alice", ProvenBy: "emulator");
    private static readonly Member Bob = new("user-bob", "Bob", ProvenBy: "emulator");
    private static readonly ConversationKey Conversation = new ConversationKey("botframework", "emulator", "conv-dashboard", "act-1", null)
        .WithAddress(("serviceUrl", "http://127.0.0.1:9"));

    private readonly ServiceProvider _services;
    private readonly Clock _clock = new();

    private DashboardSeed(string databasePath)
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

    private IRunStore Runs => _services.GetRequiredService<IRunStore>();
    private IRunTransitions Transitions => _services.GetRequiredService<IRunTransitions>();

    public static async Task WriteAsync(string databasePath)
    {
        await using var seed = new DashboardSeed(databasePath);
        await seed._services.GetRequiredService<IStoreMigrator>().MigrateAsync(CancellationToken.None);
        await seed.WriteAsync();
    }

    private async Task WriteAsync()
    {
        await FinishedAsync(Day18.AddDays(-5), GoalStatus.Met);
        var first = await DecidedAsync(Day18.AddHours(9), TimeSpan.FromMinutes(1), ApprovalVerb.Approve, GoalStatus.Met);
        await DecidedAsync(Day18.AddHours(10), TimeSpan.FromMinutes(2), ApprovalVerb.Approve, GoalStatus.Met);
        await DecidedAsync(Day18.AddHours(11), TimeSpan.FromMinutes(3), ApprovalVerb.Approve, GoalStatus.NotMet);
        await DecidedAsync(Day18.AddHours(12), TimeSpan.FromMinutes(10), ApprovalVerb.Reject, null);
        await FinishedAsync(Day18.AddDays(2).AddHours(8), GoalStatus.Inconclusive);
        await CreateAsync(Day18.AddDays(2).AddHours(9));

        var states = new[] { StepState.Failed, StepState.TimedOut, StepState.Succeeded, StepState.Succeeded };
        for (var i = 0; i < states.Length; i++)
            await AttemptAsync(first, "s1", i + 1, "http.get", Day18.AddHours(13).AddMinutes(i), states[i]);
        await AttemptAsync(first, "s2", 1, "files.write", Day18.AddHours(14), StepState.Succeeded);
        await AttemptAsync(first, "s3", 1, "files.write", Day18.AddHours(15), StepState.Succeeded);

        await ModelCallAsync(first, Day18.AddHours(16), 1000, 200);
        await ModelCallAsync(first, Day18.AddHours(17), 500, 100);
        await ModelCallAsync(first, Day18.AddDays(2).AddHours(10), 300, 50);
    }

    private async Task<string> CreateAsync(DateTimeOffset at)
    {
        var id = RunIds.New();
        await Runs.CreateAsync(new Run
        {
            Id = id, Status = RunStatus.Planning, Goal = "check the status page", Requester = Alice, Conversation = Conversation, CreatedAt = at, UpdatedAt = at,
        }, CancellationToken.None);
        return id;
    }

    private async Task FinishedAsync(DateTimeOffset at, GoalStatus verdict)
    {
        var id = await CreateAsync(at);
        await MoveAsync(id, RunStatus.Planning, RunStatus.Failed, new RunChanges(Outcome: "done", Goal: new GoalVerdict(verdict, "seeded", [])));
    }

    /// <summary>A run whose plan card was answered by Bob after <paramref name="wait"/>; an approved one then ends with <paramref name="verdict"/>.</summary>
    private async Task<string> DecidedAsync(DateTimeOffset at, TimeSpan wait, ApprovalVerb verb, GoalStatus? verdict)
    {
        var id = await CreateAsync(at);
        var plan = new Plan("check the status page",
            [new PlanStep("s1", "Fetch the status page", "http.get", JsonSerializer.SerializeToElement(new { url = "https://status.example.com" }), RiskLevel.ReadOnly)],
            RiskLevel.ReadOnly, "The page answers");
        var version = new PlanVersion(1, PlanDocument.Hash(plan), plan, "offline", at.AddSeconds(1));
        await Runs.SavePlanAsync(id, version, CancellationToken.None);
        await MoveAsync(id, RunStatus.Planning, RunStatus.AwaitingApproval,
            new RunChanges(ExpiresAt: at.AddDays(1), RiskLevel: RiskLevel.ReadOnly, Approval: new ApprovalRequirement(RiskLevel.ReadOnly, 1, true, null)));
        await Transitions.DecideAsync(new ApprovalDecision(id, 1, version.Hash, Bob, verb, version.CreatedAt + wait), 1, CancellationToken.None);
        if (verdict is { } goal)
        {
            await MoveAsync(id, RunStatus.Approved, RunStatus.Running, RunChanges.None);
            await MoveAsync(id, RunStatus.Running, RunStatus.Succeeded, new RunChanges(Outcome: "done", Goal: new GoalVerdict(goal, "seeded", [])));
        }
        return id;
    }

    private async Task MoveAsync(string id, RunStatus from, RunStatus to, RunChanges changes)
    {
        if (!await Transitions.TransitionAsync(id, from, to, changes, CancellationToken.None))
            throw new InvalidOperationException($"{id} is not {from}.");
    }

    private async Task AttemptAsync(string runId, string stepId, int attempt, string tool, DateTimeOffset at, StepState state)
    {
        var attempts = _services.GetRequiredService<IStepAttemptStore>();
        var id = await attempts.StartAsync(
            new StepAttempt(0, runId, 1, stepId, 0, attempt, tool, "{}", $"{runId}:1:{stepId}", StepState.Running, at), CancellationToken.None);
        await attempts.FinishAsync(id, state, at.AddSeconds(2), state.ToWire(), null, state == StepState.Succeeded ? null : "broken", null, CancellationToken.None);
    }

    private Task ModelCallAsync(string runId, DateTimeOffset at, int input, int output)
    {
        _clock.Now = at;
        return _services.GetRequiredService<ITraceSink>().PlanningAsync(runId, TraceTypes.ModelCall,
            new JsonObject { ["purpose"] = "plan", ["inputTokens"] = input, ["outputTokens"] = output, ["latencyMs"] = 800 }, CancellationToken.None);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = Today;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
