using System.Text.Json.Nodes;

namespace BotAgent.Core.Runs;

/// <summary>
/// A move of a run between states, with what it means for the people in the thread: the trace event that records it,
/// what to say (<see cref="Announce"/>, before the card is refreshed), and whether the card needs refreshing at all.
/// What it says is queued in the move's own transaction (<see cref="IRunTransitions"/>).
/// </summary>
/// <param name="CountAs">The outcome counted in <c>botagent.runs.finished</c> when the move ends the run (default: the status).</param>
public sealed record RunMove(
    string RunId,
    RunStatus From,
    RunStatus To,
    RunChanges Changes,
    RunTrace? Trace = null,
    Announcement? Announce = null,
    bool RefreshCard = true,
    string? CountAs = null);

/// <summary>The trace event a move writes (an execution event unless <see cref="Planning"/>).</summary>
public sealed record RunTrace(string Type, JsonObject? Data = null, string? StepId = null, bool Planning = false);
