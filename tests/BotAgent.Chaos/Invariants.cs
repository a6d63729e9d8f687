using BotAgent.Testing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotAgent.Chaos;

/// <summary>One invariant's verdict: held when <see cref="Violations"/> is empty; each violation names its evidence.</summary>
internal sealed record InvariantResult(string Name, IReadOnlyList<string> Violations)
{
    public bool Held => Violations.Count == 0;
}

/// <summary>
/// The checks made once everything is quiet, over the SQLite file (opened read-only, so checking cannot change
/// what it checks) and over what the channel recorded. Numbering follows issue 16.
/// </summary>
internal sealed class Invariants(string databasePath, TestChannelServer channel, IReadOnlyList<Sent> history)
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"; // the store's DbTime text

    private SqliteConnection Open() => new($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");

    /// <summary>
    /// Polls, boundedly, until no run, inbox item or outbox message is still in motion. Returns what was still
    /// moving if the limit passed, so the report can say the checks ran on a system that was not quiet.
    /// </summary>
    public async Task<string?> WaitForQuietAsync(TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var db = Open();
            var moving = await db.QuerySingleAsync<(long Runs, long Inbox, long Outbox)>("""
                SELECT (SELECT count(*) FROM runs WHERE status IN ('planning', 'approved', 'running')),
                       (SELECT count(*) FROM inbox WHERE status IN ('pending', 'processing')),
                       (SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending'))
                """);
            if (moving == (0, 0, 0))
                return null;
            if (clock.Elapsed > limit)
                return $"still moving after {limit}: {moving.Runs} runs, {moving.Inbox} inbox items, {moving.Outbox} outbox messages";
            await Task.Delay(250);
        }
    }

    public async Task<IReadOnlyList<InvariantResult>> CheckAsync(DateTimeOffset now)
    {
        await using var db = Open();
        return
        [
            await ProcessedOnceAsync(db),
            await ApprovedRunsSettledAsync(db, now),
            await GoalsAnsweredAsync(db),
            await AttemptsEndedAsync(db),
        ];
    }

    /// <summary>(1) Every activity answered 2xx was processed exactly once; a redelivered goal never starts a second run.</summary>
    private async Task<InvariantResult> ProcessedOnceAsync(SqliteConnection db)
    {
        var violations = new List<string>();
        var answered = history.Where(s => s.Answered2xx).GroupBy(s => s.SourceKey).Select(g => g.First()).ToList();
        var inbox = (await db.QueryAsync<(string Key, string Status)>("SELECT dedupe_key, status FROM inbox")).ToDictionary(r => r.Key, r => r.Status);
        var runs = (await db.QueryAsync<(string? Key, long Count)>("SELECT source_key, count(*) FROM runs GROUP BY source_key")).ToList();
        foreach (var sent in answered)
        {
            if (!inbox.TryGetValue(sent.SourceKey, out var status))
                violations.Add($"{sent.SourceKey} answered {sent.Status} but never reached the inbox");
            else if (status != "done")
                violations.Add($"{sent.SourceKey} answered {sent.Status} but its inbox item is '{status}'");
            if (sent.IsGoal && runs.FirstOrDefault(r => r.Key == sent.SourceKey).Count != 1)
                violations.Add($"goal {sent.SourceKey} has {runs.FirstOrDefault(r => r.Key == sent.SourceKey).Count} runs");
        }
        // A click or a redelivery that started a run of its own would show up as a run no goal explains.
        var goalKeys = history.Where(s => s.IsGoal).Select(s => s.SourceKey).ToHashSet();
        foreach (var (key, count) in runs.Where(r => r.Key is null || !goalKeys.Contains(r.Key)))
            violations.Add($"{count} run(s) with source key '{key ?? "NULL"}', which is no goal the harness sent");
        return new InvariantResult("1 processed exactly once", violations);
    }

    /// <summary>(3) Every approved run finished or waits for a person; none is left approved/running without a live lease.</summary>
    private static async Task<InvariantResult> ApprovedRunsSettledAsync(SqliteConnection db, DateTimeOffset now)
    {
        var rows = await db.QueryAsync<(string Id, string Status, string? LeaseOwner, string? LeaseUntil)>("""
            SELECT id, status, lease_owner, lease_until FROM runs
            WHERE status IN ('approved', 'running') AND (lease_until IS NULL OR lease_until < @now)
            """, new { now = now.UtcDateTime.ToString(TimeFormat, System.Globalization.CultureInfo.InvariantCulture) });
        return new InvariantResult("3 approved runs settle",
            [.. rows.Select(r => $"run {r.Id} is '{r.Status}' with lease {r.LeaseOwner ?? "none"} until {r.LeaseUntil ?? "-"}")]);
    }

    /// <summary>(4) Every goal answered 2xx got a visible answer: a post the channel accepted, replying to that goal.</summary>
    private async Task<InvariantResult> GoalsAnsweredAsync(SqliteConnection db)
    {
        var calls = channel.Calls;
        var violations = new List<string>();
        foreach (var goal in history.Where(s => s.IsGoal && s.Answered2xx).GroupBy(s => s.SourceKey).Select(g => g.First()))
        {
            var answered = calls.Any(c => c.IsPost && c.Succeeded && c.ConversationId == goal.ConversationId && c.ActivityId == goal.ActivityId);
            if (answered)
                continue;
            // The store's side of the story, so the report shows where the answer was lost.
            var outbox = await db.QueryAsync<(string Kind, string Status, long Attempts, string? Error)>("""
                SELECT o.kind, o.status, o.attempts, o.error FROM outbox o JOIN runs r ON r.id = o.run_id
                WHERE r.source_key = @key ORDER BY o.id
                """, new { key = goal.SourceKey });
            var run = await db.QueryFirstOrDefaultAsync<string>("SELECT status FROM runs WHERE source_key = @key", new { key = goal.SourceKey });
            var tries = calls.Count(c => c.IsPost && c.ActivityId == goal.ActivityId && c.ConversationId == goal.ConversationId);
            violations.Add($"goal {goal.SourceKey} (run {run ?? "none"}): no accepted reply; {tries} failed post(s) seen by the channel; outbox: "
                + string.Join("; ", outbox.Select(o => $"{o.Kind} {o.Status} x{o.Attempts} {o.Error}")));
        }
        return new InvariantResult("4 goals get a visible answer", violations);
    }

    /// <summary>(6) Every step attempt has an end: finished, interrupted or outcome unknown, never still 'running'.</summary>
    private static async Task<InvariantResult> AttemptsEndedAsync(SqliteConnection db)
    {
        var rows = await db.QueryAsync<(string RunId, string StepId, long Attempt, string State)>(
            "SELECT run_id, step_id, attempt, state FROM step_attempts WHERE state = 'running' OR finished_at IS NULL");
        return new InvariantResult("6 step attempts end", [.. rows.Select(r => $"run {r.RunId} step {r.StepId} attempt {r.Attempt} is '{r.State}'")]);
    }
}
