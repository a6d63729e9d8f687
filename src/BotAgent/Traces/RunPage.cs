using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BotAgent.Core.Execution;
using BotAgent.Core.Observation;
using BotAgent.Core.Planning;
using BotAgent.Core.Traces;
using BotAgent.Traces.Pages;
using RazorSlices;

namespace BotAgent.Traces;

/// <summary>
/// <c>/runs/{id}</c>: the verdict in one line, the lane chart, the plan versions side by side with what
/// changed, every tool call with its arguments, result and error, the decisions and the raw events
/// (Pages/RunDetail.cshtml and its sections). Here: what the page works out from the ledger before it is written.
/// </summary>
internal static class RunPage
{
    private const int MaxOutputChars = 20_000, MaxEventDataChars = 4000;

    // Relaxed escaping: the page HTML-encodes what it shows, so JSON's own \uXXXX escapes would only hide text.
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="ledger">Already redacted.</param>
    /// <param name="basePath">The app's path base, for links.</param>
    public static RazorSlice Create(RunLedger ledger, string basePath) =>
        RunDetail.Create(new RunPageModel(
            ledger, basePath, LaneChart.Create(ledger), Plans(ledger),
            [.. ledger.Attempts.OrderBy(a => a.StartedAt).ThenBy(a => a.Id).Select(ToolCall)],
            [.. ledger.Events.Select(e => new EventRow(e, e.DataJson is null ? null : Core.Reporting.TextExcerpt.Truncate(Pretty(e.DataJson), MaxEventDataChars)))]));

    public static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static List<PlanCard> Plans(RunLedger ledger)
    {
        var cards = new List<PlanCard>();
        PlanVersion? previous = null;
        foreach (var version in ledger.Plans)
        {
            var current = version.Version == ledger.Run.PlanVersion;
            var before = previous?.Plan.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
            var skipped = ledger.Events.Where(e => e.Type == TraceTypes.StepSkipped && current).Select(e => e.StepId).ToHashSet(StringComparer.Ordinal);
            var steps = version.Plan.Steps.Select(step => new PlanStepRow(
                step,
                before is null ? "" : !before.TryGetValue(step.Id, out var old) ? "added" : Same(old, step) ? "" : "changed",
                Pretty(step.Args.GetRawText()),
                ledger.Attempts.Where(a => a.PlanVersion == version.Version && a.StepId == step.Id).MaxBy(a => a.Attempt)?.State,
                skipped.Contains(step.Id))).ToList();
            cards.Add(new PlanCard(version, current, previous is null ? null : Changes(ledger, previous, version), steps));
            previous = version;
        }
        return cards;
    }

    private static PlanChanges Changes(RunLedger ledger, PlanVersion previous, PlanVersion version)
    {
        // Steps that already succeeded under the previous version are done, not "removed".
        var done = ledger.Attempts.Where(a => a.PlanVersion == previous.Version && a.State == StepState.Succeeded)
            .Select(a => a.StepId).ToHashSet(StringComparer.Ordinal);
        var lines = PlanDiff.Compare(previous.Plan, version.Plan, done).Select(change => new PlanChange(
            change.StartsWith('+') ? "added" : change.StartsWith('−') ? "removed" : change.StartsWith('~') ? "changed" : "risk",
            change)).ToList();
        return new PlanChanges(previous.Version, lines);
    }

    private static bool Same(PlanStep a, PlanStep b) =>
        a.Tool == b.Tool && a.Risk == b.Risk && a.Args.GetRawText() == b.Args.GetRawText();

    private static ToolCallRow ToolCall(StepAttempt attempt)
    {
        var shown = string.IsNullOrEmpty(attempt.Output) ? null : Core.Reporting.TextExcerpt.Truncate(attempt.Output, MaxOutputChars);
        return new ToolCallRow(attempt, Pretty(attempt.ArgsJson), shown, shown is not null && shown.Length < attempt.Output!.Length);
    }

    private static string Pretty(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, Indented))
                document.RootElement.WriteTo(writer);
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary>The kind of conversation as its adapter named it (both adapters keep it under this address part).</summary>
    public static string? KindOf(Core.Intake.ConversationKey conversation) => conversation.AddressPart("conversationType");
}
