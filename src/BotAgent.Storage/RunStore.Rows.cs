using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Serialization;

namespace BotAgent.Storage;

public sealed partial class RunStore
{
    private sealed class RunRow
    {
        public string Id { get; set; } = "";
        public string Status { get; set; } = "";
        public string Goal { get; set; } = "";
        public string RequesterJson { get; set; } = "";
        public string ConversationJson { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string UpdatedAt { get; set; } = "";
        public int PlanVersion { get; set; }
        public string? PlanHash { get; set; }
        public string? RiskLevel { get; set; }
        public string? ApprovalJson { get; set; }
        public string? ExpiresAt { get; set; }
        public string? Outcome { get; set; }
        public string? SourceKey { get; set; }
        public string? GoalJson { get; set; }
        public string? Activity { get; set; }

        public Run ToRun() => new()
        {
            Id = Id,
            Status = RunStatuses.Parse(Status),
            Goal = Goal,
            Requester = JsonSerializer.Deserialize(RequesterJson, CoreJsonContext.Default.Member)!,
            Conversation = JsonSerializer.Deserialize(ConversationJson, CoreJsonContext.Default.ConversationKey)!,
            CreatedAt = DbTime.Parse(CreatedAt),
            UpdatedAt = DbTime.Parse(UpdatedAt),
            PlanVersion = PlanVersion,
            PlanHash = PlanHash,
            RiskLevel = RiskLevel is null ? null : RiskLevels.Parse(RiskLevel),
            Approval = ApprovalJson is null ? null : JsonSerializer.Deserialize(ApprovalJson, CoreJsonContext.Default.ApprovalRequirement),
            ExpiresAt = DbTime.ParseOrNull(ExpiresAt),
            Outcome = Outcome,
            SourceKey = SourceKey,
            GoalVerdict = GoalJson is null ? null : JsonSerializer.Deserialize(GoalJson, CoreJsonContext.Default.GoalVerdict),
            Activity = Activity,
        };
    }

    private sealed class PlanRow
    {
        public int Version { get; set; }
        public string Hash { get; set; } = "";
        public string Planner { get; set; } = "";
        public string PlanJson { get; set; } = "";
        public string CreatedAt { get; set; } = "";
    }

    private sealed class DecisionRow
    {
        public string RunId { get; set; } = "";
        public int PlanVersion { get; set; }
        public string PlanHash { get; set; } = "";
        public string ApproverId { get; set; } = "";
        public string ApproverName { get; set; } = "";
        public string? ApproverAadObjectId { get; set; }
        public string Decision { get; set; } = "";
        public string DecidedAt { get; set; } = "";
    }
}
