namespace BotAgent.Chaos;

/// <summary>What the run did and which invariants held, and on failure the history needed to replay and read it.</summary>
internal static class Report
{
    public static void Print(IReadOnlyList<ScheduledAction> schedule, Actions actions, Cluster cluster, Faults faults,
        PostgresServer? postgres, IReadOnlyList<InvariantResult> results, string? notQuiet)
    {
        var history = actions.History;
        Console.WriteLine();
        Console.WriteLine($"{"action",-13} {"scheduled",9} {"sent",6} {"2xx",6} {"other",6} {"no conn",7} {"skipped",7}");
        foreach (var kind in Enum.GetValues<ActionKind>().Where(k => !Schedule.IsStop(k) && !Schedule.IsFault(k)))
        {
            var sent = history.Where(s => s.Kind == kind).ToList();
            var skipped = actions.Skipped.Keys.Count(i => schedule[i].Kind == kind);
            Console.WriteLine($"{kind,-13} {schedule.Count(a => a.Kind == kind),9} {sent.Count,6} {sent.Count(s => s.Answered2xx),6} "
                + $"{sent.Count(s => s.Status != 0 && !s.Answered2xx),6} {sent.Count(s => s.Status == 0),7} {skipped,7}");
        }
        Console.WriteLine("(sent counts activities: a double click is two; skipped: no card with that button had reached the channel)");
        foreach (var failure in history.Where(s => s.Status == 0).GroupBy(s => s.Note))
            Console.WriteLine($"no connection: {failure.Count()} x {failure.Key}");
        Console.WriteLine();
        Console.WriteLine($"process stops: {cluster.Kills} SIGKILL, {cluster.Terms} SIGTERM (the final restart of each instance included); {cluster.Starts} processes started");
        foreach (var (what, count) in faults.Counts.OrderBy(c => c.Key, StringComparer.Ordinal))
            Console.WriteLine($"fault x{count,-4} {what}");
        if (postgres is not null)
            Console.WriteLine($"PostgreSQL restarts: {postgres.Restarts}");
        Console.WriteLine($"writes that reached the target: {actions.WriteArrivals}");
        Console.WriteLine();
        if (notQuiet is not null)
            Console.WriteLine("NOT QUIET: " + notQuiet);
        foreach (var result in results)
        {
            Console.WriteLine($"{(result.Held ? "held    " : "VIOLATED")} {result.Number} {result.Name}{(result.Held ? "" : $" ({result.Violations.Count})")}");
            foreach (var violation in result.Violations.Take(20))
                Console.WriteLine("         " + violation);
        }
    }

    public static void PrintHistory(ChaosOptions options, IReadOnlyList<ScheduledAction> schedule, Actions actions)
    {
        var sent = actions.History.ToLookup(s => s.Action);
        Console.WriteLine();
        Console.WriteLine("history (index, time, action, conversation, person, goal action, instance, what happened):");
        foreach (var action in schedule)
        {
            var outcome = action.Kind == ActionKind.Kill ? "SIGKILL + restart"
                : action.Kind == ActionKind.Term ? "SIGTERM + restart"
                : Schedule.IsFault(action.Kind) ? Faults.Describe(action, options.Store)
                : actions.Skipped.TryGetValue(action.Index, out var why) ? "skipped: " + why
                : string.Join(", ", sent[action.Index].Select(s => $"{s.ActivityId} -> {(s.Status == 0 ? s.Note : s.Status)}"))
                    + (actions.Retargeted.TryGetValue(action.Index, out var where) ? $" ({where})" : "");
            Console.WriteLine($"{action.Index,4} {action.At.TotalSeconds,7:F2}s {action.Kind,-12} conv-{action.Conversation} p{action.Person} g{action.Goal} i{action.Instance} {outcome}");
        }
    }
}
