using BotAgent.Core.Runs;

namespace BotAgent.Core.Planning;

/// <summary>The run's closing words for the thread, and the planner's goal verdict where it could judge one.</summary>
public sealed record RunSummary(string Text, GoalVerdict? Goal = null);
