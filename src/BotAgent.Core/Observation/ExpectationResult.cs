namespace BotAgent.Core.Observation;

/// <summary>The outcome of checking one expectation, with the words for the card and the trace.</summary>
public sealed record ExpectationResult(ExpectationState State, string Detail)
{
    public static readonly ExpectationResult Nothing = new(ExpectationState.None, "");
}
