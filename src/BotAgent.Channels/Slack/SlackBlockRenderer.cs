using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using static BotAgent.Channels.Slack.SlackText;

namespace BotAgent.Channels.Slack;

/// <summary>
/// Renders the channel-neutral views (the same ones the Adaptive Card renderer draws) as Block Kit.
/// Every message stays within Slack's limits: whatever grows with the run (steps, changes, output,
/// evidence) gets the room that is left and ends with a pointer to the run's trace when cut.
/// Buttons carry the run id and plan hash, so stale and replayed clicks can be recognised.
/// </summary>
internal static partial class SlackBlockRenderer
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string ResolveDone = "resolve-done";
    public const string ResolveRetry = "resolve-retry";
    public const string ResolveStop = "resolve-stop";
    public const string OpenTrace = "open-trace";

    private const int MaxFallbackChars = 500;

    /// <summary>True for the buttons that decide something (a link button's click needs no handling).</summary>
    public static bool IsDecision(string? actionId) => actionId is Approve or Reject or ResolveDone or ResolveRetry or ResolveStop;

    public static SlackMessage Render(OutboundView view) => view switch
    {
        PlanCardView plan => RenderPlan(plan),
        StepResultView step => RenderStep(step),
        RunSummaryView summary => RenderSummary(summary),
        NoticeView notice => RenderNotice(notice),
        DecisionCardView decision => RenderDecision(decision),
        ProgressView progress => new SlackMessage(Fallback(progress.Text), new SlackBlocks().Context(Escape(progress.Text, 500)).ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(view), view.GetType().Name, "No Block Kit rendering for this view."),
    };

    /// <summary>The pointer that ends anything cut short.</summary>
    public static string TracePointer(string runId, string what = "output") => $"… (full {what} in the trace: run {runId})";

    /// <summary>The fixed parts first; the steps (and what changed) then get the blocks and characters left.</summary>
    private static SlackMessage RenderPlan(PlanCardView view)
    {
        var head = PlanHead(view);
        var tail = PlanTail(view);
        var blocksLeft = SlackBlocks.MaxBlocks - head.Count - tail.Count;
        var charsLeft = SlackBlocks.MaxTotalChars - head.Chars - tail.Chars;
        var middle = new SlackBlocks();
        if (view.Changes is { Count: > 0 } changes)
        {
            var lines = new List<string> { $"*What changed since plan v{view.PlanVersion - 1}*" };
            lines.AddRange(changes.Select(c => "• " + Escape(c, 300)));
            foreach (var section in SlackBlocks.Pack(lines, Math.Min(2, blocksLeft - 1), charsLeft / 4, n => $"… {n} more change(s) (full plan in the trace: run {view.RunId})"))
                middle.Section(section);
        }
        var stepLines = new List<string> { "*Steps*" };
        stepLines.AddRange(view.Steps.Select(StepLine));
        foreach (var section in SlackBlocks.Pack(stepLines, blocksLeft - middle.Count, charsLeft - middle.Chars,
            n => $"… {n} more step(s) not shown (full plan in the trace: run {view.RunId})"))
            middle.Section(section);
        return new SlackMessage(Fallback(view.FallbackText), head.Append(middle).Append(tail).ToArray());
    }

    private static SlackBlocks PlanHead(PlanCardView view)
    {
        var head = new SlackBlocks().Header(ViewWording.Header(view.Status, view.GoalVerdict));
        if (view.SentAgain)
            head.Context(ViewWording.SentAgain);
        return head.Section("*Goal*\n" + Escape(view.Goal, 1000))
        .Fields(
            ("Risk", ViewWording.RiskText(view.RiskLevel)),
            ("Requested by", Escape(view.RequesterName, 200)),
            ("Who may approve", MentionUserIds(Escape(view.ApproversText, 600))),
            ("Status", Escape(view.StatusLine, 600)),
            ("Expires", view.AcceptsDecisions && view.ExpiresAt is { } expires ? Date(expires, "{date_short_pretty} {time}", "yyyy-MM-dd HH:mm 'UTC'") : null),
            ("Plan", $"v{view.PlanVersion} · `{Escape(view.PlanHash, 64)}`"));
    }

    private static SlackBlocks PlanTail(PlanCardView view)
    {
        var tail = new SlackBlocks();
        if (view.OutsideEnvelope is { Count: > 0 } outside)
            tail.Section("*Why this needs approval again*\n" + string.Join("\n", outside.Take(6).Select(o => "⚠️ " + Escape(o, 200)))
                + (outside.Count > 6 ? $"\n… {outside.Count - 6} more (in the trace: run {Escape(view.RunId, 64)})" : ""));
        tail.Section("*Success criteria*\n" + Escape(view.SuccessCriteria, 1000));
        if (view.GoalVerdict is { } goal)
            tail.Section("*" + Escape(ViewWording.GoalLine(goal, 500), 500) + "*");
        if (view.EnvelopeText is { } envelope && !view.Status.IsFinished())
            tail.Context(Escape(envelope, view.AcceptsDecisions ? 2000 : 600));
        if (view.Decisions.Count > 0)
        {
            tail.Context(TextExcerpt.Truncate(string.Join("\n", view.Decisions.Take(12).Select(d =>
                $"{(d.Verb == "approved" ? "👍" : "👎")} {d.Verb} by {Escape(d.Name, 100)} at {Date(d.At, "{time}", "HH:mm 'UTC'")}")), 2500));
        }
        tail.Context($"Run `{Escape(view.RunId, 64)}`");
        var buttons = new List<JsonObject>();
        if (view.AcceptsDecisions)
        {
            var value = Value(new SlackButtonValue { RunId = view.RunId, PlanHash = view.PlanHash });
            buttons.Add(Button("Approve", Approve, value, "primary", view.RiskLevel == RiskLevel.High ? HighRiskConfirm(view) : null));
            buttons.Add(Button("Reject", Reject, value, "danger"));
        }
        // A link button still sends a click, which the bot acknowledges and ignores.
        if (view.TraceUrl is { Length: <= 3000 } traceUrl)
            buttons.Add(new JsonObject { ["type"] = "button", ["text"] = SlackBlocks.PlainText("View trace"), ["action_id"] = OpenTrace, ["url"] = traceUrl });
        return tail.Actions([.. buttons]);
    }

    private static string StepLine(StepView step)
    {
        var reach = step.Targets is null ? "" : " on " + Escape(step.Targets, 200);
        var expect = step.Expectation is null ? "" : " · " + Escape(step.Expectation, 200);
        var line = $"{ViewWording.StateIcon(step.State)} *{step.Number}.* {Escape(step.Title, 200)}\n"
            + $"      `{Escape(step.Tool, 100)}`{reach} · {Escape(step.ArgsSummary, 200)} · {step.Risk.ToWire()}{expect}";
        return step.ResultSummary is null ? line : line + " → " + Escape(step.ResultSummary, 200);
    }

    /// <summary>Slack asks before sending the click: high-risk plans are irreversible or sensitive.</summary>
    private static JsonObject HighRiskConfirm(PlanCardView view) => new()
    {
        ["title"] = SlackBlocks.PlainText("Approve a high-risk plan?"),
        ["text"] = SlackBlocks.Mrkdwn(TextExcerpt.Truncate(
            $"This plan is *high risk* (irreversible or sensitive). Its {view.Steps.Count} step(s) run as soon as the approvals it needs are in.", 300)),
        ["confirm"] = SlackBlocks.PlainText("Approve"),
        ["deny"] = SlackBlocks.PlainText("Cancel"),
        ["style"] = "danger",
    };

    private static SlackMessage RenderDecision(DecisionCardView view)
    {
        var blocks = new SlackBlocks()
            .Header(view.AcceptsDecisions ? "❓ Did this step happen?" : "❓ Step outcome decided");
        if (view.SentAgain)
            blocks.Context(ViewWording.SentAgain);
        blocks
            .Section($"Step {view.StepNumber} ({Escape(view.StepId, 100)}) · *{Escape(view.Title, 200)}* was a write in flight when the instance running it stopped. "
                + "It may or may not have happened, so it will not be repeated blindly.")
            .Fields(("Tool", $"`{Escape(view.Tool, 100)}`"), ("Arguments", Escape(view.ArgsSummary, 300)), ("Who may decide", MentionUserIds(Escape(view.ApproversText, 600))))
            .Section(view.ResolvedText is not null ? "*" + Escape(view.ResolvedText, 500) + "*" : "Check the target system, then choose:")
            .Context($"Run `{Escape(view.RunId, 64)}`");
        if (view.AcceptsDecisions)
        {
            var value = Value(new SlackButtonValue { RunId = view.RunId, PlanHash = view.PlanHash, AttemptId = view.AttemptId });
            blocks.Actions(
                Button("It happened: mark done", ResolveDone, value, "primary"),
                Button("It did not: run it again", ResolveRetry, value, null),
                Button("Stop the run", ResolveStop, value, "danger"));
        }
        return new SlackMessage(Fallback(view.FallbackText), blocks.ToArray());
    }

    private static JsonObject Button(string text, string actionId, string value, string? style, JsonObject? confirm = null)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["text"] = SlackBlocks.PlainText(TextExcerpt.Truncate(text, SlackBlocks.MaxButtonChars)),
            ["action_id"] = actionId,
            ["value"] = value,
        };
        if (style is not null)
            button["style"] = style;
        if (confirm is not null)
            button["confirm"] = confirm;
        return button;
    }

    private static string Value(SlackButtonValue value)
    {
        var json = JsonSerializer.Serialize(value, SlackButtonContext.Default.SlackButtonValue);
        return json.Length <= SlackBlocks.MaxValueChars
            ? json
            : throw new InvalidOperationException($"A button value of {json.Length} characters exceeds Slack's {SlackBlocks.MaxValueChars}.");
    }

    /// <summary>A date Slack shows in each reader's own time zone, with a UTC fallback.</summary>
    private static string Date(DateTimeOffset at, string slackFormat, string fallbackFormat) =>
        $"<!date^{at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}^{slackFormat}|{at.UtcDateTime.ToString(fallbackFormat, CultureInfo.InvariantCulture)}>";

    private static string Fallback(string text) => Escape(text.ReplaceLineEndings(" "), MaxFallbackChars);
}
