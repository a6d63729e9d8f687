using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Targets;

namespace BotAgent.Benchmarks.Scenarios;

/// <param name="Durable">For the bot: activities answered 200, and how many of them were in the inbox after SIGKILL.</param>
internal sealed record IngestRow(LoadResult Load, Usage Usage, Usage Generator, string? Note, (long Answered, long Stored)? Durable);
