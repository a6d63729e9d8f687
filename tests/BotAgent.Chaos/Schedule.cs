namespace BotAgent.Chaos;

/// <summary>
/// What the harness does at one moment. <see cref="Goal"/> points at an earlier goal action for clicks, cancels and
/// redeliveries; <see cref="Instance"/> picks the bot process an activity is sent to (or killed); <see cref="Variant"/>
/// picks among a fault's forms or a click's button.
/// </summary>
internal sealed record ScheduledAction(int Index, TimeSpan At, ActionKind Kind, int Conversation, int Person, int Goal, int Variant, int Target, int Instance);

internal enum ActionKind
{
    /// <summary>A read-only goal (<c>check &lt;url&gt;</c>, the offline playbook).</summary>
    Goal,

    /// <summary>A write: one typed <c>http.request</c> POST carrying an Idempotency-Key the target counts.</summary>
    WriteGoal,
    Approve,
    Reject,

    /// <summary>Two clicks at once on the same card, by the same or another person.</summary>
    DoubleClick,

    /// <summary>A click on the card as it was first posted, after it may have moved on (decided, re-planned, finished).</summary>
    StaleClick,

    /// <summary>A decision on a "did this step happen?" card: mark done, run again or stop.</summary>
    Decide,

    /// <summary><c>cancel</c> typed in the goal's conversation.</summary>
    Cancel,

    /// <summary>An activity sent again byte for byte, as a channel retrying after a lost answer.</summary>
    Redeliver,

    /// <summary>SIGKILL of one bot process, then a new one (with two instances, the other takes over meanwhile).</summary>
    Kill,

    /// <summary>SIGTERM: the host's graceful shutdown, then a new process.</summary>
    Term,

    /// <summary>The channel's next post fails: 503, 429 with Retry-After, no answer before the timeout, slow, or refused connections for a while.</summary>
    ChannelFault,

    /// <summary>The model's next answer (for the processes that plan with one): 429, 500, no answer in time, or not a plan.</summary>
    ModelFault,

    /// <summary>The write target's next answers: slow past the tool's timeout, or 503.</summary>
    TargetFault,

    /// <summary>Another process holds the SQLite write lock for 1–3 s (SQLite), or PostgreSQL restarts (PostgreSQL).</summary>
    StoreFault,
}

internal enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The whole run, decided up front from the seed and the options alone, so <c>--seed</c> replays the same actions
/// in the same order. Only what the bot answers at run time (which cards exist when a click comes) may differ, and with
/// it the thread a Decide action clicks (one whose decision card still asks).
/// </summary>
internal static class Schedule
{
    public const int Conversations = 4;
    public const int People = 3;
    public const int ReadTargets = 4;
    public const int ChannelFaultKinds = 5;

    public static IReadOnlyList<ScheduledAction> Generate(ChaosOptions options)
    {
        var random = new Random(options.Seed);
        var actions = new List<ScheduledAction>();
        var goals = new List<int>();
        var at = TimeSpan.Zero;
        var nextStop = TimeSpan.FromMilliseconds(random.Next(3000, 7000));
        while (true)
        {
            at += TimeSpan.FromMilliseconds(random.Next(50, 400));
            if (at >= options.Duration)
                break;
            // Process stops are a separate timeline (every 3–7 s), merged in so one may land between any two client
            // actions; one in four is a graceful SIGTERM.
            if (at >= nextStop)
            {
                var stop = random.Next(4) == 0 ? ActionKind.Term : ActionKind.Kill;
                actions.Add(new ScheduledAction(actions.Count, nextStop, stop, 0, 0, -1, 0, 0, random.Next(options.Instances)));
                nextStop += TimeSpan.FromMilliseconds(random.Next(3000, 7000));
            }
            var kind = goals.Count == 0 ? ActionKind.Goal : Pick(random.Next(100));
            // Clicks and redeliveries favour recent goals: those are the ones whose cards may be in flight.
            var goal = kind is ActionKind.Goal or ActionKind.WriteGoal || IsFault(kind) ? -1
                : goals[Math.Max(0, goals.Count - 1 - random.Next(Math.Min(goals.Count, 8)))];
            var conversation = goal >= 0 ? actions[goal].Conversation : random.Next(Conversations);
            var action = new ScheduledAction(actions.Count, at, kind, conversation, random.Next(People), goal,
                random.Next(ChannelFaultKinds * 6), random.Next(ReadTargets), random.Next(options.Instances));
            actions.Add(action);
            if (kind is ActionKind.Goal or ActionKind.WriteGoal)
                goals.Add(action.Index);
        }
        return actions;
    }

    public static bool IsFault(ActionKind kind) => kind is ActionKind.ChannelFault or ActionKind.ModelFault or ActionKind.TargetFault or ActionKind.StoreFault;

    public static bool IsStop(ActionKind kind) => kind is ActionKind.Kill or ActionKind.Term;

    private static ActionKind Pick(int roll) => roll switch
    {
        < 26 => ActionKind.Goal,
        < 38 => ActionKind.WriteGoal,
        < 60 => ActionKind.Approve,
        < 65 => ActionKind.Reject,
        < 71 => ActionKind.DoubleClick,
        < 74 => ActionKind.StaleClick,
        < 80 => ActionKind.Decide,
        < 82 => ActionKind.Cancel,
        < 90 => ActionKind.Redeliver,
        < 93 => ActionKind.ChannelFault,
        < 95 => ActionKind.ModelFault,
        < 98 => ActionKind.TargetFault,
        _ => ActionKind.StoreFault,
    };
}
