namespace BotAgent.Benchmarks.Store;

/// <summary>A run the real bot made for the seed: what kind it is, its id, and the activities that asked for and decided it.</summary>
internal sealed record SeedRun(string Kind, string RunId, string GoalActivity, string ClickActivity);
