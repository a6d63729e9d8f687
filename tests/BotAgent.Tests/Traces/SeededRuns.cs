using System.Text.Json.Nodes;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;
using BotAgent.Testing;
using static BotAgent.Tests.Traces.LedgerSeed;

namespace BotAgent.Tests.Traces;

/// <summary>
/// Runs that between them reach every part of the trace pages: retries, a re-plan with its diff and envelope,
/// a quorum, an idle stretch, model calls and a failed one, an unknown outcome a person stopped, a rejection,
/// a run that never got a plan, one awaiting approval, and one whose every shown field is markup.
/// </summary>
internal static class SeededRuns
{
    public const string Replanned = "run-0001-replanned";
    public const string Stopped = "run-0002-stopped";
    public const string Rejected = "run-0003-rejected";
    public const string NoPlan = "run-0004-no-plan";
    public const string Awaiting = "run-0005-awaiting";
    public const string Hostile = "run-0006-hostile";

    /// <summary>Markup, quotes and an ampersand, as any field a person or a tool controls might hold them.</summary>
    public const string Markup = "<script>alert(\"x\")</script> & 'q' <b>";

    private static readonly Member Alice = new("29:alice", "Alice Example", AadObjectId: "00000000-0000-0000-0000-0000000a11ce", ProvenBy: "msteams");
    private static readonly Member Bob = new("29:bob", "Bob Example", ProvenBy: "msteams");
    private static readonly Member Carol = new("29:carol", "Carol Example", ProvenBy: "msteams");
    private static readonly ConversationKey Teams = new ConversationKey(
            "botframework", "msteams", "19:ops@thread.tacv2;messageid=1700000000000", "1700000000000", new Member("28:bot", "BotAgent"))
        .WithAddress(("serviceUrl", "https://smba.trafficmanager.net/teams/"), ("tenantId", "tenant-1"), ("conversationType", "channel"));
    private static readonly ConversationKey Emulator = new ConversationKey("botframework", "emulator", "conv-7", "act-1", null)
        .WithAddress(("serviceUrl", "http://localhost:5000"));

    public static async Task WriteAsync(LedgerSeed seed)
    {
        await ReplannedAsync(seed);
        await StoppedAsync(seed);
        await RejectedAsync(seed);
        await NoPlanAsync(seed);
        await AwaitingAsync(seed);
        await HostileAsync(seed);
    }

    private static async Task ReplannedAsync(LedgerSeed seed)
    {
        const string id = Replanned, v1 = "sha256:1111aaaa", v2 = "sha256:2222bbbb";
        var envelope = new Envelope(["http.get", "http.request"], ["https://status.example.com", "https://incidents.example.com"], RiskLevel.Write, 2);
        var check = Step("s1", "Check the status page", "http.get", """{"url":"https://status.example.com/health"}""", RiskLevel.ReadOnly,
            ["https://status.example.com"], new Expectation(Status: "2xx"));
        await seed.CreateAsync(id, "Check the payment API status\nand open an incident if it is down", Alice, Teams, 0);
        await seed.PlanningAsync(id, TraceTypes.GoalReceived, 0.012, new JsonObject { ["text"] = "Check the payment API status" });
        await seed.PlanningAsync(id, TraceTypes.ModelCall, 2.4, ModelCall("plan", 1200, 310, 2380));
        await seed.PlanningAsync(id, TraceTypes.PlanValidation, 2.41, new JsonObject { ["valid"] = false, ["errors"] = new JsonArray("steps[0].tool: unknown") });
        await seed.PlanningAsync(id, TraceTypes.ModelCall, 3.3, ModelCall("plan.repair", 1400, 280, 880));
        await seed.PlanningAsync(id, TraceTypes.PlanValidation, 3.31, new JsonObject { ["valid"] = true });
        await seed.PlanAsync(id, 1, v1, new Plan("Check the payment API status", [check], RiskLevel.ReadOnly, "The status is known", envelope), 3.32);
        await seed.PlanningAsync(id, TraceTypes.PlanProposed, 3.33, new JsonObject { ["version"] = 1, ["steps"] = 1 });
        await seed.PlanningAsync(id, TraceTypes.PolicyVerdict, 3.34, new JsonObject { ["allowed"] = true });
        await seed.MoveAsync(id, RunStatus.Planning, RunStatus.AwaitingApproval, 3.35,
            new RunChanges(ExpiresAt: Start.AddHours(1), RiskLevel: RiskLevel.ReadOnly, Approval: new ApprovalRequirement(RiskLevel.ReadOnly, 1, true, null)));
        await seed.ExecutionAsync(id, TraceTypes.ApprovalRequested, 3.4, new JsonObject { ["planVersion"] = 1 });
        await seed.DecideAsync(id, 1, v1, Bob, ApprovalVerb.Approve, 21.7);
        await seed.MoveAsync(id, RunStatus.Approved, RunStatus.Running, 21.8);
        await seed.ExecutionAsync(id, TraceTypes.RunStarted, 21.81);
        const string get = """{"url":"https://status.example.com/health"}""";
        await seed.AttemptAsync(id, 1, "s1", 1, "http.get", get, 21.9, 22.3, StepState.Failed, "HTTP 500", error: "HTTP 500 Internal Server Error");
        await seed.AttemptAsync(id, 1, "s1", 2, "http.get", get, 22.5, 22.8, StepState.Failed, "HTTP 500", error: "HTTP 500 Internal Server Error");
        await seed.AttemptAsync(id, 1, "s1", 3, "http.get", get, 23.2, 33.2, StepState.TimedOut, "timed out", error: "No answer within 10 s");
        await seed.PlanningAsync(id, TraceTypes.RevisionRequested, 33.3, new JsonObject { ["after"] = "s1" });
        await seed.PlanningAsync(id, TraceTypes.ModelCall, 35.9, ModelCall("revision", 1800, 420, 2550));
        var open = Step("s2", "Open an incident", "http.request", """{"url":"https://incidents.example.com/api","method":"POST","body":{"title":"Payments down"}}""",
            RiskLevel.Write, ["https://incidents.example.com"]);
        await seed.PlanAsync(id, 2, v2, new Plan("Check the payment API status", [check with { Risk = RiskLevel.Write }, open], RiskLevel.Write, "An incident is open", envelope), 36);
        await seed.PlanningAsync(id, TraceTypes.PlanRevised, 36.01, new JsonObject { ["version"] = 2 });
        await seed.MoveAsync(id, RunStatus.Running, RunStatus.AwaitingApproval, 36.1,
            new RunChanges(ExpiresAt: Start.AddHours(2), RiskLevel: RiskLevel.Write, Approval: new ApprovalRequirement(RiskLevel.Write, 2, false, ["29:bob", "29:carol"])));
        await seed.ExecutionAsync(id, TraceTypes.ApprovalRequested, 36.2, new JsonObject { ["planVersion"] = 2 });
        await seed.DecideAsync(id, 2, v2, Bob, ApprovalVerb.Approve, 400.5, quorum: 2);
        await seed.DecideAsync(id, 2, v2, Carol, ApprovalVerb.Approve, 404.25, quorum: 2);
        await seed.MoveAsync(id, RunStatus.Approved, RunStatus.Running, 404.3);
        await seed.ExecutionAsync(id, TraceTypes.RunResumed, 404.31);
        await seed.ExecutionAsync(id, TraceTypes.StepSkipped, 404.32, new JsonObject { ["reason"] = "ran under v1" }, "s1");
        var output = "{\"id\":42}" + new string('x', 20_100);
        await seed.AttemptAsync(id, 2, "s2", 1, "http.request", """{"url":"https://incidents.example.com/api","method":"POST"}""", 404.4, 405.62, StepState.Succeeded,
            "HTTP 201 Created, incident 42", output);
        await seed.PlanningAsync(id, TraceTypes.ObservationRequested, 405.7);
        await seed.PlanningAsync(id, TraceTypes.ModelCall, 406.9, ModelCall("observe", 900, 40, 1150));
        await seed.PlanningAsync(id, TraceTypes.ObservationAnswered, 406.91, new JsonObject { ["decision"] = "continue" });
        await seed.PlanningAsync(id, TraceTypes.GoalJudged, 407, new JsonObject { ["verdict"] = "met" });
        await seed.PlanningAsync(id, TraceTypes.ModelCall, 408.2, ModelCall("summary", 700, 120, 1100));
        await seed.MoveAsync(id, RunStatus.Running, RunStatus.Succeeded, 408.3,
            new RunChanges(Outcome: "2 steps ran; incident 42 is open", Goal: new GoalVerdict(GoalStatus.Met, "Incident 42 was opened", ["s2"])));
        await seed.ExecutionAsync(id, TraceTypes.RunFinished, 408.31, new JsonObject { ["status"] = "succeeded" });
    }

    private static async Task StoppedAsync(LedgerSeed seed)
    {
        const string id = Stopped, v1 = "sha256:3333cccc";
        await seed.CreateAsync(id, "Restart the payments worker", Bob, Teams, 600);
        await seed.PlanningAsync(id, TraceTypes.GoalReceived, 600.01);
        await seed.PlanAsync(id, 1, v1, new Plan("Restart the payments worker",
            [Step("s1", "Restart", "http.request", """{"url":"https://ops.example.com/restart","method":"POST"}""", RiskLevel.Write, ["https://ops.example.com"])],
            RiskLevel.Write, "The worker answers again"), 601, planner: "offline");
        await seed.PlanningAsync(id, TraceTypes.PlanProposed, 601.01, new JsonObject { ["version"] = 1 });
        await seed.PlanningAsync(id, TraceTypes.PolicyVerdict, 601.02, new JsonObject { ["allowed"] = true });
        await seed.MoveAsync(id, RunStatus.Planning, RunStatus.AwaitingApproval, 601.03,
            new RunChanges(ExpiresAt: Start.AddHours(3), RiskLevel: RiskLevel.Write, Approval: new ApprovalRequirement(RiskLevel.Write, 1, false, null)));
        await seed.ExecutionAsync(id, TraceTypes.ApprovalRequested, 601.04, new JsonObject { ["planVersion"] = 1 });
        await seed.ExecutionAsync(id, TraceTypes.ApprovalRefused, 605, new JsonObject { ["reason"] = "the requester may not approve" });
        await seed.DecideAsync(id, 1, v1, Carol, ApprovalVerb.Approve, 612);
        await seed.MoveAsync(id, RunStatus.Approved, RunStatus.Running, 612.1);
        await seed.ExecutionAsync(id, TraceTypes.RunStarted, 612.11);
        var attempt = await seed.AttemptAsync(id, 1, "s1", 1, "http.request", """{"url":"https://ops.example.com/restart","method":"POST"}""", 612.2, 612.9,
            StepState.OutcomeUnknown, "the instance stopped during the call");
        await seed.ExecutionAsync(id, TraceTypes.AttemptInterrupted, 640, new JsonObject { ["action"] = "ask" }, "s1", 1);
        await seed.MoveAsync(id, RunStatus.Running, RunStatus.AwaitingDecision, 640.1, new RunChanges(ExpiresAt: Start.AddHours(4)));
        await seed.ExecutionAsync(id, TraceTypes.DecisionRequested, 640.2, stepId: "s1", attempt: 1);
        await seed.PlanningAsync(id, TraceTypes.ModelError, 670.2, new JsonObject { ["purpose"] = "observe", ["latencyMs"] = 30000, ["error"] = "The model did not answer in 30 s" });
        await seed.PlanningAsync(id, TraceTypes.PlanNotRevised, 670.3, new JsonObject { ["reason"] = "model error" });
        seed.At(700);
        await seed.Transitions.ResolveStepAsync(new StepResolution(id, attempt, "s1", StepResolutionKind.Stop, Bob, seed.At(700)), CancellationToken.None);
        await seed.ExecutionAsync(id, TraceTypes.StepResolved, 700.01, new JsonObject { ["decision"] = "stop" }, "s1", 1);
        await seed.ExecutionAsync(id, TraceTypes.RunFinished, 700.02, new JsonObject { ["status"] = "cancelled", ["by"] = "Bob Example" });
    }

    private static async Task RejectedAsync(LedgerSeed seed)
    {
        const string id = Rejected, v1 = "sha256:4444dddd";
        await seed.CreateAsync(id, "Delete the old logs", Alice, Emulator, 900);
        await seed.PlanAsync(id, 1, v1, new Plan("Delete the old logs",
            [Step("s1", "Delete", "files.delete", """{"path":"/var/log/old"}""", RiskLevel.High)], RiskLevel.High, "The logs are gone"), 901);
        await seed.PlanningAsync(id, TraceTypes.PlanProposed, 901.01, new JsonObject { ["version"] = 1 });
        await seed.PlanningAsync(id, TraceTypes.PolicyVerdict, 901.02, new JsonObject { ["allowed"] = true });
        await seed.MoveAsync(id, RunStatus.Planning, RunStatus.AwaitingApproval, 901.03,
            new RunChanges(ExpiresAt: Start.AddHours(5), RiskLevel: RiskLevel.High, Approval: new ApprovalRequirement(RiskLevel.High, 2, false, ["29:bob"])));
        await seed.ExecutionAsync(id, TraceTypes.ApprovalRequested, 901.04, new JsonObject { ["planVersion"] = 1 });
        await seed.DecideAsync(id, 1, v1, Bob, ApprovalVerb.Reject, 930, quorum: 2);
        await seed.ExecutionAsync(id, TraceTypes.RunFinished, 930.01, new JsonObject { ["status"] = "rejected" });
    }

    private static async Task NoPlanAsync(LedgerSeed seed)
    {
        const string id = NoPlan;
        await seed.CreateAsync(id, "Summarise yesterday", Carol, Teams.WithAddress(("conversationType", null)), 1000);
        await seed.PlanningAsync(id, TraceTypes.ModelError, 1030, new JsonObject { ["purpose"] = "plan", ["latencyMs"] = 30000, ["error"] = "HTTP 429" });
        await seed.PlanningAsync(id, TraceTypes.PlanNotMade, 1030.1, new JsonObject { ["reason"] = "the model failed" });
        await seed.PlanningAsync(id, "custom.event", 1030.2);
        await seed.MoveAsync(id, RunStatus.Planning, RunStatus.Failed, 1030.3, new RunChanges(Outcome: "No plan: the model failed (HTTP 429)"));
    }

    private static async Task AwaitingAsync(LedgerSeed seed)
    {
        const string id = Awaiting, v1 = "sha256:5555eeee";
        await seed.CreateAsync(id, "Query the reports database", Bob, Teams, 1200);
        await seed.PlanAsync(id, 1, v1, new Plan("Query the reports database",
            [Step("s1", "Count orders", "sql.query", """{"connection":"reports","sql":"SELECT count(*) FROM orders"}""", RiskLevel.ReadOnly, ["sql:reports"],
                new Expectation(MinCount: 1, Contains: "count"))], RiskLevel.ReadOnly, "A number"), 1201);
        await seed.MoveAsync(id, RunStatus.Planning, RunStatus.AwaitingApproval, 1201.5,
            new RunChanges(ExpiresAt: Start.AddDays(2), RiskLevel: RiskLevel.ReadOnly, Approval: new ApprovalRequirement(RiskLevel.ReadOnly, 1, true, null)));
        await seed.ExecutionAsync(id, TraceTypes.ApprovalRequested, 1201.6, new JsonObject { ["planVersion"] = 1 });
    }

    private static async Task HostileAsync(LedgerSeed seed)
    {
        const string id = Hostile, hash = "sha256:" + Markup;
        var who = new Member("29:" + Markup, "Mallory " + Markup, ProvenBy: "msteams");
        var conversation = new ConversationKey("botframework", "msteams", "19:" + Markup, "1", null)
            .WithAddress(("serviceUrl", "https://smba.trafficmanager.net/teams/"), ("tenantId", "t"), ("conversationType", Markup));
        await seed.CreateAsync(id, "Goal " + Markup, who, conversation, 1300);
        await seed.PlanningAsync(id, TraceTypes.GoalReceived, 1300.01, new JsonObject { ["text"] = Markup });
        await seed.PlanningAsync(id, TraceTypes.ModelCall, 1301, ModelCall("plan " + Markup, 10, 10, 500));
        var step = Step("s1" + Markup, "Title " + Markup, "tool" + Markup, $$"""{"q":{{System.Text.Json.JsonSerializer.Serialize(Markup)}}}""", RiskLevel.Write,
            ["target " + Markup], new Expectation(Contains: Markup));
        var envelope = new Envelope(["tool" + Markup], ["target " + Markup], RiskLevel.Write, 1);
        await seed.PlanAsync(id, 1, hash, new Plan("Goal " + Markup, [step], RiskLevel.Write, "Success " + Markup, envelope), 1301.5, planner: "planner " + Markup);
        await seed.PlanningAsync(id, Markup, 1301.6, new JsonObject { ["version"] = Markup });
        await seed.MoveAsync(id, RunStatus.Planning, RunStatus.AwaitingApproval, 1301.7,
            new RunChanges(ExpiresAt: Start.AddHours(6), RiskLevel: RiskLevel.Write, Approval: new ApprovalRequirement(RiskLevel.Write, 1, false, null)));
        await seed.ExecutionAsync(id, TraceTypes.ApprovalRequested, 1301.8, new JsonObject { ["planVersion"] = 1 });
        await seed.DecideAsync(id, 1, hash, who with { Id = "29:other" + Markup }, ApprovalVerb.Approve, 1310);
        await seed.MoveAsync(id, RunStatus.Approved, RunStatus.Running, 1310.1);
        await seed.AttemptAsync(id, 1, "s1" + Markup, 1, "tool" + Markup, $$"""{"q":{{System.Text.Json.JsonSerializer.Serialize(Markup)}}}""", 1310.2, 1311, StepState.Failed,
            "Summary " + Markup, "Output " + Markup, "Error " + Markup);
        await seed.ExecutionAsync(id, Markup, 1311.1, new JsonObject { ["status"] = Markup }, "s1" + Markup, 1);
        await seed.ExecutionAsync(id, TraceTypes.RunFinished, 1311.2, new JsonObject { ["status"] = Markup });
        await seed.MoveAsync(id, RunStatus.Running, RunStatus.Failed, 1311.3,
            new RunChanges(Outcome: "Outcome " + Markup, Goal: new GoalVerdict(GoalStatus.NotMet, "Reason " + Markup, ["s1" + Markup])));
    }
}
