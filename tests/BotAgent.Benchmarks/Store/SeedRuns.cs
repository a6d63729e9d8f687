using BotAgent.Benchmarks.Connector;
using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Targets;
using Microsoft.Data.Sqlite;

namespace BotAgent.Benchmarks.Store;

/// <summary>
/// The runs the grown store is cloned from, made by the real bot (Release build, the offline planner) on a new file,
/// so the clones hold what the bot writes today: one run of each kind below, taken from goal to its end through the
/// test channel, and the 50-step run whose page (7) measures.
/// </summary>
internal static class SeedRuns
{
    public const string Long = "long";
    public const string Failed = "failed";
    public const string Rejected = "rejected";
    public const int LongSteps = 50;

    private static readonly string[] Finished = ["succeeded", "failed", "cancelled", "rejected", "expired", "policy_denied"];

    /// <param name="Goal">The goal's text from the step URL (the suite's <c>/health</c>, tagged) and the channel's base URL.</param>
    private sealed record Kind(string Name, string Verb, Func<string, string, string> Goal);

    private static readonly Kind[] Kinds =
    [
        new("check", "approve", (url, _) => $"check {url}"),
        new("three steps", "approve", (url, _) => Steps("Look at the service's health three times", url, 3)),
        new("six steps", "approve", (url, _) => Steps("Watch the service's health for a while", url, 6)),
        new("ten steps", "approve", (url, _) => Steps("Sample the service's health ten times", url, 10)),
        new(Failed, "approve", (url, channel) => $"Check the service, then its status page\n1. http.get {url}\n2. http.get {channel}/status"),
        new(Rejected, "reject", (url, _) => $"check {url}"),
        new(Long, "approve", (url, _) => Steps("Walk through fifty health checks", url, LongSteps)),
    ];

    /// <summary>Makes the seed runs in a new file at <paramref name="path"/> and returns them once every one has ended and said so.</summary>
    public static async Task<IReadOnlyList<SeedRun>> MakeAsync(Bench bench, string path)
    {
        // Fifty steps need the policy's limit raised; the per-conversation pacing of replies only makes the long run slow to seed.
        var settings = new Dictionary<string, string> { ["Policy__MaxSteps"] = LongSteps.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Outbox__MinIntervalPerConversation"] = "00:00:00.001" };
        var runs = new List<SeedRun>();
        await using (var bot = await bench.StartBotAsync(path, settings))
        {
            foreach (var (kind, i) in Kinds.Select((k, i) => (k, i)))
                runs.Add(await MakeOneAsync(bench, bot.Process, kind, i));
            await WaitUntilSettledAsync(path, TimeSpan.FromSeconds(120));
        }
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
            foreach (var (run, i) in runs.Select((r, i) => (r, i)).ToList())
                runs[i] = run with { RunId = RunOf(connection, run.GoalActivity) };
        }
        return runs;
    }

    private static string Steps(string prose, string url, int count) =>
        prose + string.Concat(Enumerable.Range(1, count).Select(i => $"\n{i}. http.get {url}&step={i}"));

    /// <summary>
    /// The seed's activity ids are tagged in capitals, which <see cref="Bench.NewTag"/> never makes: a measured goal with the
    /// id and conversation of a seed run's would be taken for a retry of it and dropped.
    /// </summary>
    private static async Task<SeedRun> MakeOneAsync(Bench bench, TargetProcess bot, Kind kind, int number)
    {
        var tag = $"S{number:D2}";
        var goalId = tag + new string('0', RoundLog.IndexDigits);
        var log = bench.Channel.Track(tag, 1);
        try
        {
            var url = $"{bench.Channel.ServiceUrl}/health?g={tag}{RequestTemplate.Placeholder}";
            await SendAsync(bot, bench.Payloads.Message(bot.MessagesUri, tag, kind.Goal(url, bench.Channel.ServiceUrl)));
            if (!await log.WaitAsync(l => l.Cards >= 1, TimeSpan.FromSeconds(60), CancellationToken.None))
                throw new InvalidOperationException($"Seed run '{kind.Name}': no plan card within 60 s.\n{bot.LogTail()}");
            var clickId = $"C{number:D2}" + new string('0', RoundLog.IndexDigits);
            var click = bench.Payloads.Decide(clickId, goalId, log.CardActivityId[0]!, log.CardJson[0]!, kind.Verb);
            await SendAsync(bot, new VariableRequests(bot.MessagesUri, _ => click));
            return new SeedRun(kind.Name, "", goalId, clickId);
        }
        finally
        {
            bench.Channel.Forget(log);
        }
    }

    private static async Task SendAsync(TargetProcess bot, IRequestSource request)
    {
        var sent = await LoadGenerator.ClosedAsync(bot.Endpoint, request, 1, 1, TimeSpan.FromSeconds(30), null, CancellationToken.None);
        if (sent.Ok != 1)
            throw new InvalidOperationException($"The seed bot did not accept an activity: {sent.FirstError}");
    }

    /// <summary>Every run ended, every message sent and every inbound item handled.</summary>
    private static async Task WaitUntilSettledAsync(string path, TimeSpan timeout)
    {
        var sql = $"""
            SELECT (SELECT COUNT(*) FROM runs WHERE status NOT IN ({string.Join(", ", Finished.Select(s => $"'{s}'"))}))
                 + (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending'))
                 + (SELECT COUNT(*) FROM inbox WHERE status IN ('pending', 'processing'));
            """;
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        while (Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                command.CommandText = "SELECT group_concat(goal || ': ' || status, '; ') FROM runs;";
                throw new TimeoutException($"The seed runs did not all end within {timeout.TotalSeconds:0} s: {await command.ExecuteScalarAsync()}");
            }
            await Task.Delay(100);
        }
    }

    private static string RunOf(SqliteConnection connection, string goalActivity)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM runs WHERE instr(goal, $activity) > 0;";
        command.Parameters.AddWithValue("$activity", goalActivity);
        return command.ExecuteScalar() as string ?? throw new InvalidOperationException($"No seed run was made for goal {goalActivity}.");
    }
}
