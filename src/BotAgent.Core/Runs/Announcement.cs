using BotAgent.Core.Reporting;

namespace BotAgent.Core.Runs;

/// <summary>
/// What a move tells the thread, built from the run as the move left it. Pure (no I/O): the store calls it inside the
/// move's transaction and queues the messages there, so a run is never moved without them, nor they sent without it.
/// </summary>
public delegate IReadOnlyList<OutboundMessage> Announcement(Run moved);
