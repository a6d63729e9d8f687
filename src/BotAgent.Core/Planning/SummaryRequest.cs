using BotAgent.Core.Execution;

namespace BotAgent.Core.Planning;

public sealed record SummaryRequest(string RunId, Plan Plan, IReadOnlyList<StepResult> Results, bool Succeeded);
