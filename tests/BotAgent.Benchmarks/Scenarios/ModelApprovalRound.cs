using BotAgent.Benchmarks.Load;
using BotAgent.Benchmarks.Model;
using BotAgent.Benchmarks.Targets;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>One round of (8)'s approvals: click → first step's GET and → run summary, and the model calls in between.</summary>
internal sealed record ModelApprovalRound(LoadResult Clicks, LatencyHistogram Step, LatencyHistogram Summary, ModelPath Path, int Failed, int Missing, Usage Usage);
