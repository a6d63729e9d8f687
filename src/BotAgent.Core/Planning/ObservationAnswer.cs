using System.Text.Json.Serialization;

namespace BotAgent.Core.Planning;

[JsonConverter(typeof(JsonStringEnumConverter<ObserveDecision>))]
public enum ObserveDecision
{
    /// <summary>Go on with the plan as it is.</summary>
    [JsonStringEnumMemberName("continue")] Continue,

    /// <summary>A revised plan for the rest of the work (it passes policy and the approved envelope like any revision).</summary>
    [JsonStringEnumMemberName("revise")] Revise,

    /// <summary>The goal is already met, or cannot be: the remaining steps are skipped.</summary>
    [JsonStringEnumMemberName("done")] Done,
}

/// <summary>A planner's answer after a step: what to do next and why.</summary>
/// <param name="Failure">Set when the planner could not be asked (unavailable, over budget, invalid answers): the plan goes on.</param>
public sealed record ObservationAnswer(ObserveDecision Decision, string Reason, Plan? Plan = null, string Planner = "", string? Failure = null)
{
    public static ObservationAnswer Continue(string reason, string planner = "") => new(ObserveDecision.Continue, reason, null, planner);
}
