using BotAgent.Benchmarks.Connector;
using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Targets;

namespace BotAgent.Benchmarks.Scenarios;

/// <param name="Cards">Goal (sent or due) → plan card at the channel; for another <see cref="ChannelLoad"/>, message → its answer.</param>
/// <param name="Rate">Cards (answers) delivered per second, first post to last card.</param>
/// <param name="SentAt">When each goal was sent (closed loop) or due (open loop), by index, as Stopwatch timestamps.</param>
internal sealed record GoalRound(LoadResult Post, LatencyHistogram Cards, double Rate, int Missing, Usage Usage, RoundLog Log, long[] SentAt);
