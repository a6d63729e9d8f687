using System.Text.Json.Serialization;

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
    public string Wire => Verdict switch
    {
        GoalStatus.Met => "met",
        GoalStatus.NotMet => "not_met",
        _ => "inconclusive",
    };

    public static bool TryParse(string? wire, out GoalStatus status)
    {
        switch (wire?.Trim().ToLowerInvariant())
        {
            case "met": status = GoalStatus.Met; return true;
            case "not_met" or "not met" or "notmet": status = GoalStatus.NotMet; return true;
            case "inconclusive": status = GoalStatus.Inconclusive; return true;
            default: status = default; return false;
        }
    }

    /// <summary>"Goal met", "Goal not met", "Goal: inconclusive", for cards and chat.</summary>
    public string Headline => Verdict switch
    {
        GoalStatus.Met => "Goal met",
        GoalStatus.NotMet => "Goal not met",
        _ => "Goal: inconclusive",
    };
}
