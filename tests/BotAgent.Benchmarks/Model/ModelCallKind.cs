namespace BotAgent.Benchmarks.Model;

/// <summary>What the bot asked the model for, told from the request's answer schema and prompts.</summary>
internal enum ModelCallKind
{
    /// <summary>A plan for a new goal.</summary>
    Plan,

    /// <summary>After a step: continue, revise or done (<c>Planner:Observe</c>).</summary>
    Observe,

    /// <summary>The run's final summary and goal verdict.</summary>
    Summary,

    /// <summary>Anything else: a repair, a revision, a request the suite does not expect.</summary>
    Other,
}
