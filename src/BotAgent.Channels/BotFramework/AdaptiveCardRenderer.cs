using System.Globalization;
using System.Text.Json.Nodes;
using BotAgent.Core.Execution;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// Renders channel-neutral views as Adaptive Cards 1.5 (the highest version Teams renders). Every card
/// carries the run id and plan hash in its actions, so stale and replayed clicks can be recognised.
/// </summary>
public static class AdaptiveCardRenderer
{
    public const string Version = "1.5";
    public const string SchemaUrl = "http://adaptivecards.io/schemas/adaptive-card.json";
    public const string BotAgentMarker = "botagent";

    // Teams refuses messages over 100 KB. Even if every character were escaped as \uXXXX (6 bytes), these
    // caps keep a step card far below that; the store keeps the whole output.
    private const int MaxOutputChars = 8000;
    private const int MaxErrorChars = 1000;

    public static CardActionStyle StyleFor(string? channelId) =>
        string.Equals(channelId, "msteams", StringComparison.OrdinalIgnoreCase) ? CardActionStyle.Execute : CardActionStyle.Submit;

    public const string RefreshVerb = "refresh";

    /// <param name="viewer">
    /// For a user-specific view (Universal Actions refresh): whether this person may decide, and why not.
    /// Null renders the card everyone sees.
    /// </param>
    public static JsonObject Render(OutboundView view, CardActionStyle style, string? notice = null, ViewerRights? viewer = null) => view switch
    {
        PlanCardView plan => RenderPlan(plan, style, notice, viewer),
        StepResultView step => RenderStep(step),
        RunSummaryView summary => RenderSummary(summary),
        NoticeView n => RenderNotice(n),
        DecisionCardView d => RenderDecision(d, style),
        ProgressView p => Card([Text(p.Text, isSubtle: true)], p.Text),
        _ => throw new ArgumentOutOfRangeException(nameof(view), view.GetType().Name, "No card for this view."),
    };

    private static JsonObject RenderPlan(PlanCardView view, CardActionStyle style, string? notice, ViewerRights? viewer)
    {
        var body = new JsonArray();
        if (notice is not null)
            body.Add(Text("⚠️ " + notice, color: "Warning", wrap: true));
        if (viewer is { MayDecide: false } refused && view.AcceptsDecisions)
            body.Add(Text("👁️ You can see this plan but not decide on it: " + refused.Reason, isSubtle: true, wrap: true));
        body.Add(Text(ViewWording.Header(view.Status, view.GoalVerdict), size: "Medium", weight: "Bolder"));
        if (view.SentAgain)
            body.Add(Text(ViewWording.SentAgain, isSubtle: true, wrap: true, size: "Small", spacing: "None"));
        body.Add(Text(Cap(view.Goal, 500), wrap: true));
        body.Add(new JsonObject
        {
            ["type"] = "FactSet",
            ["facts"] = Facts(
                ("Risk", ViewWording.RiskText(view.RiskLevel)),
                ("Requested by", view.RequesterName),
                ("Who may approve", view.ApproversText),
                ("Status", view.StatusLine),
                ("Expires", view.AcceptsDecisions && view.ExpiresAt is { } e ? e.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : null),
                ("Plan", $"v{view.PlanVersion} · {view.PlanHash}")),
        });
        body.Add(Text("Steps", weight: "Bolder", spacing: "Medium"));
        // A long plan gets shorter lines, so even Policy:MaxSteps' 100 steps stay under Teams' 100 KB.
        var (lineCap, fieldCap) = view.Steps.Count > 30 ? (120, 80) : (200, 200);
        foreach (var step in view.Steps)
        {
            body.Add(Text($"{ViewWording.StateIcon(step.State)} {step.Number}. {Cap(step.Title, lineCap)}", wrap: true, spacing: "Small"));
            var detail = ViewWording.StepDetail(step, step.ArgsSummary, fieldCap);
            if (step.ResultSummary is not null)
                detail += " → " + Cap(step.ResultSummary, lineCap);
            body.Add(Text(detail, wrap: true, isSubtle: true, spacing: "None", size: "Small"));
        }
        if (view.Changes is { Count: > 0 } changes)
        {
            body.Add(Text($"What changed since plan v{view.PlanVersion - 1}", weight: "Bolder", spacing: "Medium"));
            foreach (var change in changes.Take(30))
                body.Add(Text(Cap(change, 300), wrap: true, size: "Small", spacing: "None"));
        }
        if (view.OutsideEnvelope is { Count: > 0 } outside)
        {
            body.Add(Text("Why this needs approval again", weight: "Bolder", spacing: "Medium", color: "Warning"));
            foreach (var line in outside.Take(20))
                body.Add(Text("⚠️ " + Cap(line, 300), wrap: true, size: "Small", spacing: "None"));
        }
        body.Add(Text("Success criteria: " + Cap(view.SuccessCriteria, 500), wrap: true, spacing: "Medium"));
        if (view.GoalVerdict is { } goal)
            body.Add(Text(ViewWording.GoalLine(goal, 500), wrap: true, weight: "Bolder", color: ViewWording.GoalColor(goal), spacing: "Small"));
        // Shown whole on a card that asks for approval (people approve all of it), shorter once the plan runs.
        if (view.EnvelopeText is { } envelope && !view.Status.IsFinished())
            body.Add(Text(Cap(envelope, view.AcceptsDecisions ? 8000 : 600), wrap: true, isSubtle: true, size: "Small", spacing: "Small"));
        foreach (var decision in view.Decisions)
            body.Add(Text($"{(decision.Verb == "approved" ? "👍" : "👎")} {decision.Verb} by {decision.Name} at {decision.At.UtcDateTime.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture)}", isSubtle: true, size: "Small", spacing: "Small"));
        body.Add(Text($"Run {view.RunId}", isSubtle: true, size: "Small", spacing: "Small"));

        var card = Card(body, $"Plan for: {Cap(view.Goal, 200)} ({view.StatusLine})");
        var actions = new JsonArray();
        if (view.AcceptsDecisions && viewer is not { MayDecide: false })
        {
            actions.Add(Button("Approve", "approve", view, style));
            actions.Add(Button("Reject", "reject", view, style));
        }
        if (view.TraceUrl is not null)
            actions.Add(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "View trace", ["url"] = view.TraceUrl });
        if (actions.Count > 0)
            card["actions"] = actions;
        if (view.AcceptsDecisions && style == CardActionStyle.Execute)
            card["refresh"] = Refresh(view);
        return card;
    }

    /// <summary>
    /// Universal Actions: Teams asks the bot for each viewer's own version of the card, so approvers see
    /// the buttons and others a read-only status. With a known list of approvers (Teams user ids), only
    /// they refresh; otherwise everyone does (Teams does this in conversations of up to 60 people).
    /// </summary>
    private static JsonObject Refresh(PlanCardView view)
    {
        var refresh = new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["verb"] = RefreshVerb,
                ["data"] = new JsonObject { [BotAgentMarker] = 1, ["runId"] = view.RunId, ["planHash"] = view.PlanHash },
            },
        };
        if (view.Approvers.Count is > 0 and <= 60 && view.Approvers.All(id => id.StartsWith("29:", StringComparison.Ordinal)))
            refresh["userIds"] = new JsonArray([.. view.Approvers.Select(id => (JsonNode?)JsonValue.Create(id))]);
        return refresh;
    }

    private static JsonObject RenderStep(StepResultView view)
    {
        var body = new JsonArray
        {
            Text($"{ViewWording.StateIcon(view.State)} Step {view.Number} · {Cap(view.Title, 200)}", weight: "Bolder", wrap: true),
            Text(Cap(view.Summary, 500), wrap: true),
        };
        var facts = new List<(string, string?)> { ("Tool", view.Tool), ("Result", view.State.ToWire()), ("Attempts", view.Attempts.ToString(CultureInfo.InvariantCulture)), ("Duration", $"{view.DurationMs} ms") };
        facts.AddRange(view.Facts.Take(8).Select(f => (f.Key, (string?)Cap(f.Value, 200))));
        body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = Facts([.. facts]) });
        if (view.Error is not null)
            body.Add(Text("Error: " + Cap(view.Error, MaxErrorChars), wrap: true, color: "Attention", size: "Small"));
        if (!string.IsNullOrEmpty(view.OutputExcerpt))
            body.Add(Text(Cap(view.OutputExcerpt, MaxOutputChars), wrap: true, fontType: "Monospace", size: "Small", isSubtle: true));
        return Card(body, $"Step {view.Number} {view.State.ToWire()}: {Cap(view.Summary, 200)}");
    }

    private static JsonObject RenderSummary(RunSummaryView view)
    {
        var ok = view.Status == RunStatus.Succeeded;
        var body = new JsonArray
        {
            Text(ok ? "✅ Run succeeded" : $"❌ Run {view.Status.ToWire().Replace('_', ' ')}", size: "Medium", weight: "Bolder", color: ok ? "Good" : "Attention"),
            Text(Cap(view.Goal, 300), isSubtle: true, wrap: true),
            Text(Cap(view.Text, 3000), wrap: true),
        };
        if (view.GoalVerdict is { } goal)
            body.Add(Text(ViewWording.GoalLine(goal, 600), wrap: true, weight: "Bolder", color: ViewWording.GoalColor(goal)));
        foreach (var line in view.Evidence.Take(20))
            body.Add(Text("• " + Cap(line, 400), wrap: true, size: "Small", spacing: "Small"));
        body.Add(Text($"Run {view.RunId}", isSubtle: true, size: "Small"));
        return Card(body, (ok ? "Run succeeded: " : "Run failed: ") + Cap(view.Text, 200));
    }

    private static JsonObject RenderNotice(NoticeView view)
    {
        var icon = view.Tone switch { NoticeTone.Warning => "⚠️ ", NoticeTone.Error => "❌ ", _ => "" };
        var body = new JsonArray { Text(icon + Cap(view.Title, 500), weight: "Bolder", wrap: true, color: view.Tone == NoticeTone.Info ? null : "Attention") };
        foreach (var line in view.Lines.Take(30))
            body.Add(Text(Cap(line, 500), wrap: true, spacing: "Small"));
        if (view.RunId is not null)
            body.Add(Text($"Run {view.RunId}", isSubtle: true, size: "Small"));
        return Card(body, Cap(view.FallbackText, 500));
    }

    private static JsonObject RenderDecision(DecisionCardView view, CardActionStyle style)
    {
        var body = new JsonArray
        {
            Text(view.AcceptsDecisions ? "❓ Did this step happen?" : "❓ Step outcome decided", size: "Medium", weight: "Bolder"),
        };
        if (view.SentAgain)
            body.Add(Text(ViewWording.SentAgain, isSubtle: true, wrap: true, size: "Small", spacing: "None"));
        body.Add(Text($"Step {view.StepNumber} ({view.StepId}) · {Cap(view.Title, 200)} was a write in flight when the instance running it stopped. "
            + "It may or may not have happened, so it will not be repeated blindly.", wrap: true));
        body.Add(new JsonObject
        {
            ["type"] = "FactSet",
            ["facts"] = Facts(("Tool", view.Tool), ("Arguments", Cap(view.ArgsSummary, 300)), ("Who may decide", view.ApproversText)),
        });
        if (view.ResolvedText is not null)
            body.Add(Text(Cap(view.ResolvedText, 500), wrap: true, weight: "Bolder"));
        else
            body.Add(Text("Check the target system, then choose:", wrap: true, isSubtle: true));
        body.Add(Text($"Run {view.RunId}", isSubtle: true, size: "Small"));

        var card = Card(body, Cap(view.FallbackText, 300));
        if (view.AcceptsDecisions)
        {
            var data = new JsonObject { ["runId"] = view.RunId, ["planHash"] = view.PlanHash, ["attemptId"] = view.AttemptId };
            card["actions"] = new JsonArray(
                Action("It happened: mark done", "resolve-done", data, style),
                Action("It did not: run it again", "resolve-retry", data, style),
                Action("Stop the run", "resolve-stop", data, style));
        }
        return card;
    }

    private static JsonObject Card(JsonArray body, string fallbackText) => new()
    {
        ["type"] = "AdaptiveCard",
        ["$schema"] = SchemaUrl,
        ["version"] = Version,
        ["fallbackText"] = fallbackText,
        ["body"] = body,
    };

    private static JsonObject Button(string title, string verb, PlanCardView view, CardActionStyle style) =>
        Action(title, verb, new JsonObject { ["runId"] = view.RunId, ["planHash"] = view.PlanHash }, style);

    private static JsonObject Action(string title, string verb, JsonObject fields, CardActionStyle style)
    {
        var submitData = new JsonObject { [BotAgentMarker] = 1, ["verb"] = verb };
        var executeData = new JsonObject { [BotAgentMarker] = 1 };
        foreach (var (name, value) in fields)
        {
            submitData[name] = value?.DeepClone();
            executeData[name] = value?.DeepClone();
        }
        var submit = new JsonObject
        {
            ["type"] = "Action.Submit",
            ["title"] = title,
            ["data"] = submitData,
        };
        if (verb == "approve")
            submit["style"] = "positive";
        if (style == CardActionStyle.Submit)
            return submit;

        var execute = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = title,
            ["verb"] = verb,
            ["data"] = executeData,
            // Older Teams clients without Universal Actions fall back to a submit, which the bot also handles.
            ["fallback"] = submit,
        };
        if (verb == "approve")
            execute["style"] = "positive";
        return execute;
    }

    private static JsonObject Text(
        string text, string? size = null, string? weight = null, bool wrap = false, bool isSubtle = false,
        string? color = null, string? spacing = null, string? fontType = null)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text };
        if (wrap) block["wrap"] = true;
        if (size is not null) block["size"] = size;
        if (weight is not null) block["weight"] = weight;
        if (isSubtle) block["isSubtle"] = true;
        if (color is not null) block["color"] = color;
        if (spacing is not null) block["spacing"] = spacing;
        if (fontType is not null) block["fontType"] = fontType;
        return block;
    }

    private static JsonArray Facts(params (string Title, string? Value)[] facts)
    {
        var array = new JsonArray();
        foreach (var (title, value) in facts)
        {
            if (!string.IsNullOrEmpty(value))
                array.Add(new JsonObject { ["title"] = title, ["value"] = value });
        }
        return array;
    }

    private static string Cap(string text, int max) => TextExcerpt.Truncate(text, max);
}
