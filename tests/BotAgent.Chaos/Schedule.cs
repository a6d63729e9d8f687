namespace BotAgent.Chaos;

/// <summary>What the harness does at one moment. <see cref="Goal"/> points at an earlier goal action for clicks and redeliveries.</summary>
internal sealed record ScheduledAction(int Index, TimeSpan At, ActionKind Kind, int Conversation, int Person, int Goal, bool Execute, int Target);

internal enum ActionKind
{
    Goal,
    Approve,
    DoubleClick,
    Redeliver,
    Kill,

    /// <summary>The channel fails its next post: 503, or (Execute set) an answer slower than the bot's Connector timeout.</summary>
    ChannelFault,
}

/// <summary>
/// The whole run, decided up front from the seed alone, so <c>--seed</c> replays the same actions in the same
/// order. Only what the bot answers at run time (which cards exist when a click comes) may differ.
/// </summary>
internal static class Schedule
{
    public const int Conversations = 4;
    public const int People = 3;
    public const int Targets = 4;

    public static IReadOnlyList<ScheduledAction> Generate(int seed, TimeSpan duration)
    {
        var random = new Random(seed);
        var actions = new List<ScheduledAction>();
        var goals = new List<int>();
        var at = TimeSpan.Zero;
        var nextKill = TimeSpan.FromMilliseconds(random.Next(3000, 7000));
        while (true)
        {
            at += TimeSpan.FromMilliseconds(random.Next(50, 400));
            if (at >= duration)
                break;
            // Kills are a separate timeline (every 3–7 s), merged in so a kill may land between any two client actions.
            if (at >= nextKill)
            {
                actions.Add(new ScheduledAction(actions.Count, nextKill, ActionKind.Kill, 0, 0, -1, false, 0));
                nextKill += TimeSpan.FromMilliseconds(random.Next(3000, 7000));
            }
            var roll = random.Next(100);
            var kind = goals.Count == 0 || roll < 40 ? ActionKind.Goal
                : roll < 75 ? ActionKind.Approve
                : roll < 85 ? ActionKind.DoubleClick
                : roll < 95 ? ActionKind.Redeliver
                : ActionKind.ChannelFault;
            // Clicks and redeliveries favour recent goals: those are the ones whose cards may be in flight.
            var goal = kind == ActionKind.Goal ? -1 : goals[Math.Max(0, goals.Count - 1 - random.Next(Math.Min(goals.Count, 8)))];
            var conversation = kind == ActionKind.Goal ? random.Next(Conversations) : actions[goal].Conversation;
            var action = new ScheduledAction(actions.Count, at, kind, conversation, random.Next(People), goal, random.Next(2) == 0, random.Next(Targets));
            actions.Add(action);
            if (kind == ActionKind.Goal)
                goals.Add(action.Index);
        }
        return actions;
    }
}
