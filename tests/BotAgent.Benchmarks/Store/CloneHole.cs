namespace BotAgent.Benchmarks.Store;

/// <summary>What a seed run's texts name that differs in each clone.</summary>
internal enum CloneHole
{
    RunId,
    Conversation,
    GoalActivity,
    ClickActivity,
    RequesterId,
    RequesterAad,
    RequesterName,
    ApproverId,
    ApproverAad,
    ApproverName,
}
