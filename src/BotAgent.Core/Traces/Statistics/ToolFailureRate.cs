namespace BotAgent.Core.Traces.Statistics;

public sealed record ToolFailureRate(string Tool, int Attempts, int Failed)
{
    /// <summary>0 to 1; 0 for a tool with no finished attempts.</summary>
    public double Rate => Attempts == 0 ? 0 : (double)Failed / Attempts;
}
