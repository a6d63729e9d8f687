using System.Data.Common;
using BotAgent.Testing;
using Dapper;

namespace BotAgent.Chaos;

/// <summary>One invariant's verdict: held when <see cref="Violations"/> is empty; each violation names its evidence.</summary>
internal sealed record InvariantResult(int Number, string Name, IReadOnlyList<string> Violations)
{
    public bool Held => Violations.Count == 0;
}

/// <summary>What the checks read: the store, what the channel and the write target saw, what was sent, the bot logs.</summary>
internal sealed record Evidence(TestChannelServer Channel, TargetServer Target, IReadOnlyList<Sent> History, IReadOnlyList<BotLog> Logs);

/// <summary>
/// The checks made once everything is quiet, over the store (SQLite opened read-only, so checking cannot change what
/// it checks; or the PostgreSQL database) and over what the channel, the write target and the bot logs recorded.
/// Numbering follows issue 16. The queries are plain SQL that both stores read the same way (times are DbTime text).
/// </summary>
internal sealed class Invariants(Func<DbConnection> open, Evidence evidence)
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"; // the store's DbTime text

    private static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Polls, boundedly, until no run, inbox item or outbox message has been in motion for <see cref="QuietFor"/> (a
    /// deadline passing or a sweep catching up can set things moving again just after one quiet poll). Returns what was
    /// still moving if the limit passed, so the report can say the checks ran on a system that was not quiet.
    /// </summary>
    public async Task<string?> WaitForQuietAsync(TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan? quietSince = null;
        while (true)
        {
            (long Runs, long Inbox, long Outbox) moving;
            try
            {
                await using var db = open();
                moving = await db.QuerySingleAsync<(long, long, long)>("""
                    SELECT (SELECT count(*) FROM runs WHERE status IN ('planning', 'approved', 'running')),
                           (SELECT count(*) FROM inbox WHERE status IN ('pending', 'processing')),
                           (SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending'))
                    """);
            }
            catch (DbException) when (clock.Elapsed < limit)
            {
                // A store just restarted may refuse for a moment; quiet is asked again.
                await Task.Delay(250);
                continue;
            }
            if (moving == (0, 0, 0))
            {
                quietSince ??= clock.Elapsed;
                if (clock.Elapsed - quietSince >= QuietFor)
                    return null;
            }
            else
            {
                quietSince = null;
            }
            if (clock.Elapsed > limit)
                return $"still moving after {limit}: {moving.Runs} runs, {moving.Inbox} inbox items, {moving.Outbox} outbox messages";
            await Task.Delay(250);
        }
    }

    public async Task<IReadOnlyList<InvariantResult>> CheckAsync(DateTimeOffset now)
    {
        await using var db = open();
        return
        [
            await ProcessedOnceAsync(db),
            await WritesOnceAsync(db),
            await ApprovedRunsSettledAsync(db, now),
            await GoalsAnsweredAsync(db),
            await CardsMatchStoreAsync(db),
            await AttemptsEndedAsync(db),
            LogsClean(),
        ];
    }

    /// <summary>(1) Every activity answered 2xx was processed exactly once; a redelivered goal never starts a second run.</summary>
    private async Task<InvariantResult> ProcessedOnceAsync(DbConnection db)
    {
        var violations = new List<string>();
        var answered = evidence.History.Where(s => s.Answered2xx).GroupBy(s => s.SourceKey).Select(g => g.First()).ToList();
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
        var goalKeys = evidence.History.Where(s => s.IsGoal).Select(s => s.SourceKey).ToHashSet();
        foreach (var (key, count) in runs.Where(r => r.Key is null || !goalKeys.Contains(r.Key)))
            violations.Add($"{count} run(s) with source key '{key ?? "NULL"}', which is no goal the harness sent");
        return new InvariantResult(1, "processed exactly once", violations);
    }

    /// <summary>
    /// (2) No write reached its target twice unless a person chose "run again": arrivals at the target counted by
    /// Idempotency-Key, against 1 + the run's "retry" decisions on its unknown-outcome attempts.
    /// </summary>
    private async Task<InvariantResult> WritesOnceAsync(DbConnection db)
    {
        var arrivals = evidence.Target.Hits.Where(h => h.Path == Actions.WritePath && h.Method == "POST")
            .GroupBy(h => h.Headers.GetValueOrDefault("Idempotency-Key") ?? "(none)").ToDictionary(g => g.Key, g => g.Count());
        var retries = (await db.QueryAsync<(string Key, long Count)>("""
            SELECT r.source_key, count(*) FROM step_resolutions s JOIN runs r ON r.id = s.run_id
            WHERE s.decision = 'retry' GROUP BY r.source_key
            """)).ToDictionary(r => r.Key, r => r.Count);
        var keyToGoal = evidence.History.Where(s => s.IsGoal).GroupBy(s => Actions.WriteKey(s.GoalId)).ToDictionary(g => g.Key, g => g.First().SourceKey);
        var violations = new List<string>();
        foreach (var (key, count) in arrivals)
        {
            if (!keyToGoal.TryGetValue(key, out var source))
            {
                violations.Add($"{count} write(s) with Idempotency-Key '{key}', which no goal the harness sent carries");
                continue;
            }
            var allowed = 1 + retries.GetValueOrDefault(source);
            if (count > allowed)
                violations.Add($"write {key} ({source}) reached the target {count} times; people chose to run it again {allowed - 1} time(s)");
        }
        return new InvariantResult(2, "writes reach their target once", violations);
    }

    /// <summary>(3) Every approved run finished or waits for a person; none is left approved/running without a live lease.</summary>
    private async Task<InvariantResult> ApprovedRunsSettledAsync(DbConnection db, DateTimeOffset now)
    {
        var rows = await db.QueryAsync<(string Id, string Status, string? LeaseOwner, string? LeaseUntil)>("""
            SELECT id, status, lease_owner, lease_until FROM runs
            WHERE status IN ('approved', 'running') AND (lease_until IS NULL OR lease_until < @now)
            """, new { now = now.UtcDateTime.ToString(TimeFormat, System.Globalization.CultureInfo.InvariantCulture) });
        // Waiting for a person is settled only if the person can see it: the "did this step happen?" card about the
        // attempt still undecided (a card about an earlier attempt of the run asks about something else).
        var open = await db.QueryAsync<(string Id, string? Source, long AttemptId)>("""
            SELECT r.id, r.source_key, a.id FROM runs r
            JOIN step_attempts a ON a.run_id = r.id AND a.state = 'outcome_unknown'
            WHERE r.status = 'awaiting_decision' AND NOT EXISTS (SELECT 1 FROM step_resolutions s WHERE s.attempt_id = a.id)
            """);
        var undecided = (await db.QueryAsync<string>("SELECT id FROM runs WHERE status = 'awaiting_decision'")).ToList();
        var waiting = undecided.Where(id => !open.Any(o => o.Id == id)).Select(id => $"run {id} waits for a decision on no undecided attempt")
            .Concat(open.Where(o => !evidence.Channel.Calls.Any(c => c.IsPost && c.Succeeded && o.Source == $"emulator:{c.ConversationId}:{c.ActivityId}"
                    && c.CardText.Contains("Did this step happen?", StringComparison.Ordinal)
                    && c.Card is { } card && System.Text.RegularExpressions.Regex.IsMatch(card.ToJsonString(), $"\"attemptId\":{o.AttemptId}(?![0-9])")))
                .Select(o => $"run {o.Id} waits for a decision on attempt {o.AttemptId} but no card asking about it was delivered"));
        return new InvariantResult(3, "approved runs settle",
        [
            .. rows.Select(r => $"run {r.Id} is '{r.Status}' with lease {r.LeaseOwner ?? "none"} until {r.LeaseUntil ?? "-"}"),
            .. waiting,
        ]);
    }

    /// <summary>
    /// (4) Every goal answered 2xx got a visible answer (a post the channel accepted, replying to it); every outbox
    /// message ended delivered, superseded or recorded ambiguous; nothing was accepted twice except a plan card sent
    /// again under the documented rule.
    /// </summary>
    private async Task<InvariantResult> GoalsAnsweredAsync(DbConnection db)
    {
        var calls = evidence.Channel.Calls;
        var violations = new List<string>();
        foreach (var goal in evidence.History.Where(s => s.IsGoal && s.Answered2xx).GroupBy(s => s.SourceKey).Select(g => g.First()))
        {
            // A reminder is not an answer: it tells people to act on a card they may never have got.
            if (calls.Any(c => c.IsPost && c.Succeeded && c.ConversationId == goal.ConversationId && c.ActivityId == goal.ActivityId
                && c.Body?["summary"]?.GetValue<string>()?.StartsWith("Reminder:", StringComparison.Ordinal) != true))
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
        var unsettled = await db.QueryAsync<(long Id, string Kind, string? Key, string Status, string? Error)>("""
            SELECT id, kind, message_key, status, error FROM outbox
            WHERE status NOT IN ('sent', 'superseded', 'ambiguous') AND NOT (kind = 'progress' AND status = 'failed')
            """);
        violations.AddRange(unsettled.Select(o => $"outbox {o.Id} ({o.Kind} {o.Key}) ended '{o.Status}': {o.Error}"));
        violations.AddRange(SentTwice(calls));
        return new InvariantResult(4, "goals get a visible answer, messages settle, nothing sent twice", violations);
    }

    /// <summary>
    /// Posts the channel accepted twice that are meant to exist once: a step's result, a run's summary and a decision
    /// card (one per thread, text and attempt asked about), and a plan card whose later copy does not say it was sent again. Notices may repeat (each click on a
    /// decided card is answered); typing indicators are not messages.
    /// </summary>
    private static IEnumerable<string> SentTwice(IReadOnlyList<ConnectorCall> calls)
    {
        var messages = calls.Where(c => c.IsPost && c.Succeeded && c.Body?["type"]?.GetValue<string>() == "message" && c.ActivityId is not null).ToList();
        foreach (var twice in messages
            .Select(c => (Call: c, Summary: c.Body?["summary"]?.GetValue<string>() ?? ""))
            .Where(m => m.Summary.StartsWith("Step ", StringComparison.Ordinal) || m.Summary.StartsWith("Run ", StringComparison.Ordinal))
            // A decision card sent again (its first copy may not have arrived) says so, like a plan card's copy.
            .Where(m => !m.Call.CardText.Contains("Sent again", StringComparison.Ordinal))
            // A decision card asks about one attempt: a retried step's second "outcome unknown" is a new question.
            .GroupBy(m => (m.Call.ConversationId, m.Call.ActivityId, m.Summary, Attempt: AttemptOf(m.Call)))
            .Where(g => g.Count() > 1))
            yield return $"accepted {twice.Count()} times in {twice.Key.ConversationId} replying to {twice.Key.ActivityId}: {Excerpt(twice.Key.Summary)}";
        // Per plan version (its hash is on the buttons): a revision's card is a new card, not a copy.
        foreach (var copies in messages.Select(c => (Call: c, Hash: PlanHashOf(c))).Where(c => c.Hash is not null)
            .GroupBy(c => (c.Call.ConversationId, c.Call.ActivityId, c.Hash)))
        {
            foreach (var copy in copies.OrderBy(c => c.Call.Sequence).Skip(1).Where(c => !c.Call.CardText.Contains("Sent again", StringComparison.Ordinal)))
                yield return $"plan card v{copies.Key.Hash} posted again in {copies.Key.ConversationId} replying to {copies.Key.ActivityId} ({copy.Call.AssignedId}) without saying it was sent again";
        }
    }

    private static string? AttemptOf(ConnectorCall call) =>
        call.Card is null ? null : CardTexts.Actions(call.Card).Select(a => a["data"]?["attemptId"]?.ToJsonString()).FirstOrDefault(id => id is not null);

    private static string? PlanHashOf(ConnectorCall call) =>
        call.Card is null ? null
        : CardTexts.Actions(call.Card).FirstOrDefault(a => a["data"]?["verb"]?.GetValue<string>() == "approve")?["data"]?["planHash"]?.GetValue<string>();

    private static string Excerpt(string text) => text.Length <= 120 ? text.ReplaceLineEndings(" ") : text[..120].ReplaceLineEndings(" ") + "…";

    /// <summary>
    /// (5) The last state of each run's plan card, as the channel holds it, says what the store says: the card of the
    /// run's current plan version, found by the activity id the store recorded when it was delivered.
    /// </summary>
    private async Task<InvariantResult> CardsMatchStoreAsync(DbConnection db)
    {
        var cards = (await db.QueryAsync<(string Id, string Status, string? Activity)>("""
            SELECT r.id, r.status, o.activity_id FROM runs r
            JOIN (SELECT run_id, max(version) AS version FROM plan_versions GROUP BY run_id) v ON v.run_id = r.id
            JOIN outbox o ON o.run_id = r.id AND o.kind = 'post' AND o.status = 'sent'
                AND o.message_key = CASE WHEN v.version = 1 THEN 'card:' || r.id ELSE 'card:' || r.id || ':v' || v.version END
            """)).ToList();
        var violations = new List<string>();
        foreach (var run in cards)
        {
            var card = run.Activity is null ? null : evidence.Channel.Activity(run.Activity);
            if (card is null)
            {
                violations.Add($"run {run.Id} ({run.Status}): its delivered card {run.Activity ?? "(no id)"} is not in the channel");
                continue;
            }
            var text = CardTexts.Of(card["attachments"]?[0]?["content"]);
            if (!CardWording.Says(run.Status, text))
                violations.Add($"run {run.Id} is '{run.Status}' but its card {run.Activity} shows: {Excerpt(text)}");
        }
        if (cards.Count == 0 && evidence.History.Any(s => s.IsGoal && s.Answered2xx))
            violations.Add("no delivered plan card was found to compare: the check has nothing to look at");
        return new InvariantResult(5, "cards show what the store says", violations);
    }

    /// <summary>
    /// (6) Every step attempt has an end (finished, interrupted or outcome unknown, never still 'running'), and every
    /// decision names a plan version and hash that exist.
    /// </summary>
    private static async Task<InvariantResult> AttemptsEndedAsync(DbConnection db)
    {
        var open = await db.QueryAsync<(string RunId, string StepId, long Attempt, string State)>(
            "SELECT run_id, step_id, attempt, state FROM step_attempts WHERE state = 'running' OR finished_at IS NULL");
        var unnamed = await db.QueryAsync<(long Id, string RunId, long Version, string Hash)>("""
            SELECT d.id, d.run_id, d.plan_version, d.plan_hash FROM approval_decisions d
            WHERE NOT EXISTS (SELECT 1 FROM plan_versions v WHERE v.run_id = d.run_id AND v.version = d.plan_version AND v.hash = d.plan_hash)
            """);
        var orphanResolutions = await db.QueryAsync<(long Id, string RunId, long AttemptId)>("""
            SELECT s.id, s.run_id, s.attempt_id FROM step_resolutions s
            WHERE NOT EXISTS (SELECT 1 FROM step_attempts a WHERE a.id = s.attempt_id AND a.run_id = s.run_id)
            """);
        return new InvariantResult(6, "attempts end, decisions name what exists",
        [
            .. open.Select(r => $"run {r.RunId} step {r.StepId} attempt {r.Attempt} is '{r.State}'"),
            .. unnamed.Select(d => $"decision {d.Id} on run {d.RunId} names plan v{d.Version} {d.Hash}, which does not exist"),
            .. orphanResolutions.Select(s => $"step decision {s.Id} on run {s.RunId} names attempt {s.AttemptId}, which does not exist"),
        ]);
    }

    /// <summary>(7) No unhandled exception in any bot log, and no process that ended without being stopped.</summary>
    private InvariantResult LogsClean()
    {
        var violations = new List<string>();
        foreach (var log in evidence.Logs)
        {
            if (log.ExitedByItself)
                violations.Add($"bot process {log.Number} (instance {log.Instance}) exited without being stopped: {log.EndedBy}");
            foreach (var line in UnhandledLines(log.Output).Take(3))
                violations.Add($"bot process {log.Number} (instance {log.Instance}, ended by {log.EndedBy}): {Excerpt(line)}");
        }
        return new InvariantResult(7, "no unhandled exception", violations);
    }

    /// <summary>
    /// Lines that report an exception nobody handled: ASP.NET Core's and Kestrel's "unhandled exception", a background
    /// service that stopped on one, the host's critical level. Errors the bot logs and handles are not among them.
    /// </summary>
    internal static IEnumerable<string> UnhandledLines(string output) =>
        output.Split('\n').Where(line =>
            line.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase)
            || line.Contains("BackgroundService failed", StringComparison.Ordinal)
            || line.StartsWith("crit:", StringComparison.Ordinal));
}
