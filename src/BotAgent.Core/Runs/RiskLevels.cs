using BotAgent.Core.Serialization;

namespace BotAgent.Core.Runs;

/// <summary>The wire names of <see cref="RiskLevel"/> (plans, cards, storage), as the enum declares them.</summary>
public static class RiskLevels
{
    public static string ToWire(this RiskLevel level) => WireNames.Of(level);

    /// <summary>A risk level as configuration or a model may spell it: <c>read_only</c>, <c>read-only</c>, <c>readonly</c>.</summary>
    public static bool TryParse(string? text, out RiskLevel level) => WireNames.TryRead(text, out level);

    public static RiskLevel Parse(string text) =>
        TryParse(text, out var level) ? level : throw new FormatException($"'{text}' is not a risk level ({string.Join(", ", WireNames.Of<RiskLevel>())}).");

    public static RiskLevel Max(RiskLevel a, RiskLevel b) => a >= b ? a : b;

    public static RiskLevel Min(RiskLevel a, RiskLevel b) => a <= b ? a : b;
}
