namespace BotAgent.Core.Runs;

/// <summary>The wire names of <see cref="RiskLevel"/> (plans, cards, storage).</summary>
public static class RiskLevels
{
    public static string ToWire(this RiskLevel level) => level switch
    {
        RiskLevel.ReadOnly => "read_only",
        RiskLevel.Write => "write",
        RiskLevel.High => "high",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    public static bool TryParse(string? text, out RiskLevel level)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "read_only" or "readonly" or "read-only": level = RiskLevel.ReadOnly; return true;
            case "write": level = RiskLevel.Write; return true;
            case "high": level = RiskLevel.High; return true;
            default: level = default; return false;
        }
    }

    public static RiskLevel Parse(string text) =>
        TryParse(text, out var level) ? level : throw new FormatException($"'{text}' is not a risk level (read_only, write, high).");

    public static RiskLevel Max(RiskLevel a, RiskLevel b) => a >= b ? a : b;

    public static RiskLevel Min(RiskLevel a, RiskLevel b) => a <= b ? a : b;
}
