namespace BotAgent.Core.Tools;

/// <summary>Numbers a tool reports about a call, for expectations (<see cref="Planning.Expectation"/>) to check without a model.</summary>
/// <param name="Status">The HTTP status the target answered with.</param>
/// <param name="Count">Matches, rows or series found.</param>
/// <param name="Value">The highest last value of the series found (PromQL).</param>
public sealed record ToolMeasures(int? Status = null, long? Count = null, double? Value = null);
