using System.Text.Json.Serialization;
using BotAgent.Core.Serialization;

namespace BotAgent.Core.Runs;

/// <summary>Whether the goal was met, beside whether the steps ran.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GoalStatus>))]
public enum GoalStatus
{
    [JsonStringEnumMemberName("met")] Met,
    [JsonStringEnumMemberName("not_met")] NotMet,
    [JsonStringEnumMemberName("inconclusive")] Inconclusive,
}

/// <summary>A finished run's answer to "was the goal met?", with the reason and the steps that are its evidence.</summary>
/// <param name="Evidence">Step ids of the results the verdict rests on.</param>
public sealed record GoalVerdict(GoalStatus Verdict, string Reason, IReadOnlyList<string> Evidence)
{
    public string Wire => WireNames.Of(Verdict);

    /// <summary>A verdict as a model may spell it: <c>not_met</c>, <c>not met</c>, <c>Not-Met</c>.</summary>
    public static bool TryParse(string? wire, out GoalStatus status) => WireNames.TryRead(wire, out status);

    /// <summary>"Goal met", "Goal not met", "Goal: inconclusive", for cards and chat.</summary>
    public string Headline => Verdict switch
    {
        GoalStatus.Met => "Goal met",
        GoalStatus.NotMet => "Goal not met",
        _ => "Goal: inconclusive",
    };
}
