namespace BotAgent.Core.Planning;

/// <summary>
/// What a step's result should show for the plan to be on track, checked without a model against what the tool
/// reports (<see cref="Tools.ToolMeasures"/>) and its output. Every condition given must hold.
/// </summary>
/// <param name="Status">An HTTP status class (<c>2xx</c>…<c>5xx</c>) or an exact code (<c>204</c>): <c>http.*</c>, <c>webhook.post</c>.</param>
/// <param name="MinCount">At least this many matches, rows or series: <c>logs.search</c>, <c>sql.query</c>, <c>prometheus.query</c>.</param>
/// <param name="MaxCount">At most this many (0: none found).</param>
/// <param name="Above">The highest last value of a <c>prometheus.query</c> series is above this.</param>
/// <param name="Below">The highest last value of a <c>prometheus.query</c> series is below this (so every series is).</param>
/// <param name="Contains">The output contains this text (any tool; case ignored).</param>
/// <param name="ContinueIfUnmet">Without a model, an unmet expectation ends the plan as "not met"; true runs on instead.</param>
public sealed record Expectation(
    string? Status = null,
    long? MinCount = null,
    long? MaxCount = null,
    double? Above = null,
    double? Below = null,
    string? Contains = null,
    bool? ContinueIfUnmet = null);
