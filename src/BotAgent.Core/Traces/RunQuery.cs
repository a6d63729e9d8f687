using BotAgent.Core.Runs;

namespace BotAgent.Core.Traces;

/// <summary>Which runs the trace viewer's list and the export want, newest first.</summary>
/// <param name="Status">Only runs in this status; null for all.</param>
/// <param name="Text">Only runs whose goal contains this text, ignoring case; null or empty for all.</param>
/// <param name="From">Only runs created at or after this instant.</param>
/// <param name="To">Only runs created before this instant.</param>
/// <param name="Offset">Runs to skip (paging).</param>
/// <param name="Limit">The most runs to return.</param>
public sealed record RunQuery(
    RunStatus? Status = null,
    string? Text = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Offset = 0,
    int Limit = 50);
