using BotAgent.Core.Intake;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Fakes;

/// <summary>Runs at plan version 1 for tests that seed a store in a given state: Rita asked in a Teams channel.</summary>
internal static class TestRuns
{
    public static readonly Member Rita = new("u-rita", "Rita", ProvenBy: "msteams");

    public static readonly ConversationKey Conversation =
        new("botframework", "msteams", "19:team-channel@thread.tacv2", "goal-activity", new Member("bot-1", "BotAgent"));

    public static Run At(string id, RunStatus status, DateTimeOffset now, string goal = "check the cache") => new()
    {
        Id = id,
        Status = status,
        Goal = goal,
        Requester = Rita,
        Conversation = Conversation,
        CreatedAt = now,
        UpdatedAt = now,
        PlanVersion = 1,
        PlanHash = "hash-1",
    };
}
