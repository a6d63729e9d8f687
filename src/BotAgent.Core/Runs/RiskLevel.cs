using System.Text.Json.Serialization;

namespace BotAgent.Core.Runs;

/// <summary>How much harm a step can do, lowest first. A plan's level is its highest step's.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RiskLevel>))]
public enum RiskLevel
{
    [JsonStringEnumMemberName("read_only")] ReadOnly = 0,
    [JsonStringEnumMemberName("write")] Write = 1,
    [JsonStringEnumMemberName("high")] High = 2,
}
