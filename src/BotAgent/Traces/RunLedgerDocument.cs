using System.Text.Json;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;
using BotAgent.Core.Traces;

namespace BotAgent.Traces;

/// <summary>
/// A run's ledger as exported (<c>GET /runs/{id}.json</c>, one line of <c>export</c>): the same facts as
/// <see cref="RunLedger"/>, with arguments and event data as JSON rather than JSON inside strings.
/// </summary>
/// <param name="Format">Raised when a field changes meaning or goes away, so readers of old exports can tell.
/// 2: the goal verdict (<c>goal</c>), plan steps with effective risks, targets and expectations, plans with their envelope.</param>
/// <param name="Goal">Whether the goal was met (null for runs that never ran).</param>
public sealed record RunLedgerDocument(
    int Format,
    Run Run,
    string Verdict,
    RunLedgerDocument.GoalAnswer? Goal,
    IReadOnlyList<PlanVersion> Plans,
    IReadOnlyList<RunLedgerDocument.Decision> Decisions,
    IReadOnlyList<RunLedgerDocument.Attempt> Attempts,
    IReadOnlyList<StepResolution> Resolutions,
    IReadOnlyList<RunLedgerDocument.Event> Events)
{
    public const int CurrentFormat = 2;

    /// <param name="Verdict"><c>met</c>, <c>not_met</c> or <c>inconclusive</c>.</param>
    /// <param name="Evidence">The step ids the verdict rests on.</param>
    public sealed record GoalAnswer(string Verdict, string Reason, IReadOnlyList<string> Evidence);

    public sealed record Attempt(
        long Id, int PlanVersion, string StepId, int StepIndex, int Number, string Tool, JsonElement Args, string IdempotencyKey,
        StepState State, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Summary, string? Output, string? Error);

    /// <param name="Verb"><c>approve</c> or <c>reject</c>.</param>
    public sealed record Decision(int PlanVersion, string PlanHash, Member Approver, string Verb, DateTimeOffset DecidedAt);

    public sealed record Event(long Id, string Lane, string Type, DateTimeOffset At, string? StepId, int? Attempt, JsonElement? Data);

    /// <param name="ledger">Already redacted.</param>
    public static RunLedgerDocument From(RunLedger ledger) => new(
        CurrentFormat,
        ledger.Run,
        ledger.Verdict.Describe().Replace(' ', '_'),
        ledger.Run.GoalVerdict is { } goal ? new GoalAnswer(goal.Wire, goal.Reason, goal.Evidence) : null,
        ledger.Plans,
        [.. ledger.Decisions.Select(d => new Decision(d.PlanVersion, d.PlanHash, d.Approver, d.Verb == ApprovalVerb.Approve ? "approve" : "reject", d.DecidedAt))],
        [.. ledger.Attempts.Select(a => new Attempt(
            a.Id, a.PlanVersion, a.StepId, a.StepIndex, a.Attempt, a.Tool, ParseOrString(a.ArgsJson)!.Value, a.IdempotencyKey,
            a.State, a.StartedAt, a.FinishedAt, a.Summary, a.Output, a.Error))],
        ledger.Resolutions,
        [.. ledger.Events.Select(e => new Event(e.Id, e.Lane, e.Type, e.At, e.StepId, e.Attempt, ParseOrString(e.DataJson)))]);

    /// <summary>The JSON a column holds; text that is not JSON (never written by the bot) is kept as a string.</summary>
    private static JsonElement? ParseOrString(string? json)
    {
        if (json is null)
            return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json, TraceJsonContext.Default.String);
        }
    }
}
