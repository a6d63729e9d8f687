using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Reporting;

/// <summary>What an envelope lets re-planning do, in the plain words the card uses (every channel says the same).</summary>
public static class EnvelopeText
{
    /// <param name="complete">Name every tool and target (a card that asks for approval: people approve all of it).</param>
    public static string Describe(Envelope? envelope, bool complete = false)
    {
        if (envelope is null || envelope.MaxExtraSteps <= 0 || envelope.Tools.Count == 0)
            return "If results call for a different plan, BotAgent asks here again before running anything new.";
        var risk = envelope.MaxRisk switch
        {
            RiskLevel.ReadOnly => "read-only",
            RiskLevel.Write => "read-only or write",
            _ => "read-only, write or high-risk",
        };
        var steps = envelope.MaxExtraSteps == 1 ? "step" : "steps";
        var reach = envelope.Targets.Count == 0 ? "" : " on " + Join(envelope.Targets, complete);
        return $"If results call for it, BotAgent may add up to {envelope.MaxExtraSteps} {risk} {steps} using {Join(envelope.Tools, complete)}{reach} "
            + "without asking again; anything beyond that comes back here for approval.";
    }

    private static string Join(IReadOnlyList<string> items, bool complete) =>
        complete || items.Count <= 6 ? string.Join(", ", items) : string.Join(", ", items.Take(6)) + $" and {items.Count - 6} more";
}
