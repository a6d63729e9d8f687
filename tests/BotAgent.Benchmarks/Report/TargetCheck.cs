namespace BotAgent.Benchmarks.Report;

/// <summary>One of the targets: what was measured, the bar, and whether it was met.</summary>
internal sealed record TargetCheck(string Target, string Measured, string Bar, bool Pass);
