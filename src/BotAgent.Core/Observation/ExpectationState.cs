namespace BotAgent.Core.Observation;

/// <summary>Whether a step's result showed what its expectation asked for.</summary>
public enum ExpectationState
{
    /// <summary>The step says nothing about what to expect.</summary>
    None,

    Met,

    Unmet,

    /// <summary>The tool does not report what the expectation needs (a count from a tool that counts nothing).</summary>
    Unchecked,
}
