namespace BotAgent.Core.Tools;

public enum ToolStatus
{
    Succeeded,
    Failed,
}

/// <summary>The normalised end of one tool call.</summary>
/// <param name="Summary">One line for the card ("HTTP 200 OK in 42 ms").</param>
/// <param name="Output">The full output, kept whole in the store; truncated wherever it is shown.</param>
/// <param name="Transient">The failure may go away on its own (timeouts, 5xx, refused connections).</param>
/// <param name="Facts">Short named values for cards and summaries (status, latency, …).</param>
/// <param name="MayHaveHappened">
/// The call failed in a way that does not say whether the target acted (a connection cut after the request
/// was sent, a session lost mid-call). For a write this is an unknown outcome: a person decides.
/// </param>
/// <param name="Measures">Numbers the result can be checked against (status, count, value), where the tool reports them.</param>
public sealed record ToolOutcome(
    ToolStatus Status,
    string Summary,
    string? Output = null,
    string? Error = null,
    bool Transient = false,
    IReadOnlyList<KeyValuePair<string, string>>? Facts = null,
    bool MayHaveHappened = false,
    ToolMeasures? Measures = null)
{
    public bool Succeeded => Status == ToolStatus.Succeeded;

    public static ToolOutcome Success(string summary, string? output = null, IReadOnlyList<KeyValuePair<string, string>>? facts = null) =>
        new(ToolStatus.Succeeded, summary, output, null, false, facts);

    public static ToolOutcome Failure(string summary, string error, bool transient = false, string? output = null, IReadOnlyList<KeyValuePair<string, string>>? facts = null) =>
        new(ToolStatus.Failed, summary, output, error, transient, facts);
}
