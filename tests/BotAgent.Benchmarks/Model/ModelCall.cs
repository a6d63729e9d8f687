using System.Diagnostics;

namespace BotAgent.Benchmarks.Model;

/// <summary>One request the bot made to the loopback model, with Stopwatch timestamps of its arrival and its answer.</summary>
/// <param name="GoalId">The suite's id of the goal the request is about (round tag and index, from <c>?g=</c> in the goal's URL); null if it names none.</param>
internal readonly record struct ModelCall(ModelCallKind Kind, string? GoalId, long Began, long Ended)
{
    public double WaitMs => (Ended - Began) * 1000.0 / Stopwatch.Frequency;
}
