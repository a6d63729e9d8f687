using System.Data.Common;
using BotAgent.Chaos;
using BotAgent.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

// dotnet run -c Release --project tests/BotAgent.Chaos -- --seed <n> --duration <timespan> [--store sqlite|postgres] [--instances 1|2] [--break <name>]
var options = ChaosOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(ChaosOptions.Usage);
    Console.Error.WriteLine("  --break names: " + string.Join(", ", Breaks.Known));
    return 2;
}

var directory = Path.Combine(Path.GetTempPath(), "botagent-chaos", $"seed-{options.Seed}-{Guid.NewGuid():N}");
Directory.CreateDirectory(directory);
var schedule = Schedule.Generate(options);
Console.WriteLine($"seed {options.Seed}, duration {options.Duration}, store {options.Store.ToString().ToLowerInvariant()}, "
    + $"{options.Instances} instance(s), {schedule.Count} scheduled actions, folder {directory}");

string? assembly = null;
if (options.Break is { } broken)
{
    Console.WriteLine($"test mode: building the sources with the deliberate bug '{broken}' (expects invariant {Breaks.Expected[broken]} to be violated)");
    assembly = await Breaks.BuildAsync(broken, directory);
}

await using var postgres = options.Store == StoreKind.Postgres ? await PostgresServer.StartAsync() : null;
var sqlitePath = Path.Combine(directory, "botagent.db");
await using var channel = await TestChannelServer.StartAsync();
await using var gate = new TcpGate(channel.BaseUri);
gate.Start();
await using var target = await TargetServer.StartAsync();
Actions.ScriptTargets(target);
// Another origin, which the model's revisions reach: outside what was approved, so they go back to people.
await using var elsewhere = await TargetServer.StartAsync();
elsewhere.Respond("/fast", new TargetResponse(200, "fine elsewhere"));
await using var modelServer = await TestModelServer.StartAsync();
var model = new ModelBrain(modelServer, elsewhere.Url("/fast"));
var modelSettings = new Dictionary<string, string?>
{
    ["Planner:Provider"] = "OpenAI",
    ["OpenAI:BaseUrl"] = modelServer.OpenAIBaseUrl,
    ["OpenAI:Model"] = "chaos-model",
    ["OpenAI:ApiKey"] = "sk-chaos-not-a-secret",
    ["Planner:Timeout"] = ModelBrain.PlannerTimeout.ToString(),
};

var settings = new Dictionary<string, string?>
{
    ["Tools:Http:AllowedHosts:0"] = "127.0.0.1",
    ["Tools:Http:Timeout"] = Faults.ToolTimeout.ToString(),
    ["Outbox:RetryBaseDelay"] = "00:00:00.050",
    ["Execution:RetryBaseDelay"] = "00:00:00.020",
    // A short Connector timeout so a slow or dead channel shows up as ambiguous posts within the run.
    ["BotFramework:ConnectorTimeout"] = Faults.ConnectorTimeout.ToString(),
    // Plans nobody approves expire within the run, so expiry is part of what happens.
    ["Approvals:Expiry"] = "00:00:20",
    ["Approvals:ReminderBefore"] = "00:00:05",
    // The schedule posts far more goals a minute than a person would; the per-person limit would refuse them
    // (told once, then silently), which is the limit's job, not a fault, and would hide the runs checked here. 0 turns a limit off.
    ["Limits:GoalsPerPersonPerMinute"] = "0",
    ["Limits:AwaitingApprovalPerConversation"] = "0",
    ["Logging:LogLevel:Default"] = "Information",
};
if (postgres is not null)
{
    settings["Storage:Provider"] = "Postgres";
    settings["ConnectionStrings:BotAgent"] = postgres.ConnectionString;
}
else
{
    settings["ConnectionStrings:BotAgent"] = $"Data Source={sqlitePath}";
}

await using var cluster = new Cluster(directory, settings, modelSettings, assembly);
await cluster.StartAsync(options.Instances);
using var actions = new Actions(channel, gate.ServiceUrl, target, cluster);
var faults = new Faults(channel, gate, target, model, postgres is null ? sqlitePath : null, postgres);

// The schedule's clock: each action starts at its time (later if a restart held the loop up); nothing is awaited
// in between, so a stop or a fault can land while requests are in flight. With one instance a stop holds the
// loop until the new process is up (there is nobody else to send to); with two the other takes over meanwhile.
var inFlight = new List<Task>();
var clock = System.Diagnostics.Stopwatch.StartNew();
foreach (var action in schedule)
{
    var wait = action.At - clock.Elapsed;
    if (wait > TimeSpan.Zero)
        await Task.Delay(wait);
    if (Schedule.IsStop(action.Kind))
    {
        var restart = cluster.StopAndRestartAsync(action.Instance, graceful: action.Kind == ActionKind.Term);
        if (options.Instances == 1)
            await restart;
        else
            inFlight.Add(restart);
    }
    else if (Schedule.IsFault(action.Kind))
        inFlight.Add(faults.InjectAsync(action, options.Store));
    else
        inFlight.Add(actions.RunAsync(action));
}
await Task.WhenAll(inFlight);

// The final restart of every instance: recovery on start is part of what is checked.
for (var i = 0; i < options.Instances; i++)
    await cluster.StopAndRestartAsync(i, graceful: false);

Func<DbConnection> open = postgres is null
    ? () => new SqliteConnection($"Data Source={sqlitePath};Mode=ReadOnly;Pooling=False")
    : () => new NpgsqlConnection(postgres.ConnectionString);
var invariants = new Invariants(open, new Evidence(channel, target, actions.History, cluster.Logs));
// Long enough for a dead instance's run lease (Execution:LeaseDuration, 2 min) to run out and the other to take over.
var notQuiet = await invariants.WaitForQuietAsync(TimeSpan.FromSeconds(options.Instances > 1 ? 180 : 90));
await cluster.StopAllAsync();
invariants = new Invariants(open, new Evidence(channel, target, actions.History, cluster.Logs));
var results = await invariants.CheckAsync(TimeProvider.System.GetUtcNow());

// What the channel saw, call by call, for reading a violation next to the store and the bot logs.
await File.WriteAllLinesAsync(Path.Combine(directory, "channel.jsonl"), channel.Calls.Select(c => new System.Text.Json.Nodes.JsonObject
{
    ["seq"] = c.Sequence, ["method"] = c.Method, ["conversation"] = c.ConversationId, ["activity"] = c.ActivityId,
    ["status"] = c.Status, ["assigned"] = c.AssignedId, ["body"] = c.Body?.DeepClone(),
}.ToJsonString()));

Report.Print(schedule, actions, cluster, faults, postgres, results, notQuiet);
var failed = results.Any(r => !r.Held) || notQuiet is not null;
if (options.Break is { } expectedBreak)
{
    var caught = results.Any(r => r.Number == Breaks.Expected[expectedBreak] && !r.Held);
    Console.WriteLine(caught
        ? $"test mode: the deliberate bug '{expectedBreak}' was caught by invariant {Breaks.Expected[expectedBreak]}"
        : $"test mode: the deliberate bug '{expectedBreak}' was NOT caught by invariant {Breaks.Expected[expectedBreak]}");
    Console.WriteLine($"Store and bot logs kept in {directory}");
    return caught ? 0 : 3;
}
if (failed || Environment.GetEnvironmentVariable("BOTAGENT_CHAOS_HISTORY") == "1")
    Report.PrintHistory(options, schedule, actions);
if (failed)
{
    Console.WriteLine($"VIOLATION. Replay: {options.ReplayCommand}");
    Console.WriteLine($"Store and bot logs kept in {directory}");
    return 1;
}
SqliteConnection.ClearAllPools();
Directory.Delete(directory, recursive: true);
Console.WriteLine($"all invariants held (seed {options.Seed})");
return 0;
