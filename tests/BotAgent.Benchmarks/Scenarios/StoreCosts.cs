using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Targets;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>What (7) measured on one store file: the bot on it, and each measure's rounds or requests.</summary>
internal sealed class StoreCosts(string name, string path)
{
    public string Name => name;

    /// <summary>The suite's copy of the store, which the bot writes into.</summary>
    public string Path => path;

    public Started? Bot { get; set; }

    /// <summary>From the bot's start on this store to its first 200.</summary>
    public TimeSpan StartedIn { get; set; }

    public LatencyHistogram InboxClaims { get; set; } = new();

    public LatencyHistogram OutboxPostClaims { get; set; } = new();

    public LatencyHistogram OutboxUpdateClaims { get; set; } = new();

    public LatencyHistogram OutboxRecoveries { get; set; } = new();

    public List<GoalRound> Goals { get; } = [];

    public List<GoalRound> Help { get; } = [];

    /// <summary>Answers went missing in a paced round: the bot did not keep up.</summary>
    public bool FellBehind => Goals.Concat(Help).Any(r => r.Missing > 0);

    /// <summary>Each page's GETs, by path.</summary>
    public Dictionary<string, LoadResult> Pages { get; } = [];
}
