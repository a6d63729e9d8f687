using System.Text.Json;
using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;

namespace BotAgent.Storage.Tests;

/// <summary>Domain values for store tests.</summary>
internal static class Samples
{
    public static readonly Member Alice = new("29:alice", "Alice", "aad-alice");
    public static readonly Member Bot = new("28:bot", "BotAgent");

    public static ConversationKey Conversation(string conversationId = "19:general@thread.tacv2;messageid=100") =>
        new ConversationKey("botframework", "msteams", conversationId, "act-100", Bot)
            .WithAddress(("serviceUrl", "https://smba.trafficmanager.net/emea/"), ("tenantId", "tenant-1"), ("conversationType", "channel"));

    public static Run NewRun(DateTimeOffset now, string? goal = null, ConversationKey? conversation = null) => new()
    {
        Id = RunIds.New(),
        Status = RunStatus.Planning,
        Goal = goal ?? "check https://status.example.com/health",
        Requester = Alice,
        Conversation = conversation ?? Conversation(),
        CreatedAt = now,
        UpdatedAt = now,
    };

    public static Plan Plan(string goal = "check the payment API", string url = "https://status.example.com/health") => new(
        goal,
        [
            new PlanStep("s1", "GET the health endpoint", "http.get", JsonSerializer.SerializeToElement(new { url }), RiskLevel.ReadOnly),
            new PlanStep("s2", "Search error logs", "logs.search", JsonSerializer.SerializeToElement(new { pattern = "timeout", limit = 20 }), RiskLevel.ReadOnly, ["s1"]),
        ],
        RiskLevel.ReadOnly,
        "The endpoint answers 2xx");

    public static PlanVersion Version(int version, Plan plan, DateTimeOffset at) =>
        new(version, PlanDocument.Hash(plan), plan, "offline", at);

    public static Member Approver(int i) => new($"29:approver-{i}", $"Approver {i}", $"aad-{i}");

    public static ApprovalDecision Approve(string runId, PlanVersion plan, Member approver, DateTimeOffset at) =>
        new(runId, plan.Version, plan.Hash, approver, ApprovalVerb.Approve, at);

    public static ApprovalDecision Reject(string runId, PlanVersion plan, Member approver, DateTimeOffset at) =>
        new(runId, plan.Version, plan.Hash, approver, ApprovalVerb.Reject, at);

    public static OutboundMessage Post(ConversationKey conversation, string title, string? messageKey = null, string? runId = null) =>
        new(runId, conversation, OutboundKind.Post, messageKey, new NoticeView(title, ["line"], NoticeTone.Info, runId));

    public static OutboundMessage Update(ConversationKey conversation, string title, string messageKey, string? runId = null) =>
        new(runId, conversation, OutboundKind.Update, messageKey, new NoticeView(title, [], NoticeTone.Info, runId));
}
