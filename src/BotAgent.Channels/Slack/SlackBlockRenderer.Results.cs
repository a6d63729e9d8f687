using System.Globalization;
using BotAgent.Core.Execution;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;
using static BotAgent.Channels.Slack.SlackText;

namespace BotAgent.Channels.Slack;

/// <summary>The thread replies: step results, the run summary and notices.</summary>
internal static partial class SlackBlockRenderer
{
    private static SlackMessage RenderStep(StepResultView view)
    {
        var facts = new List<(string, string?)>
        {
            ("Tool", $"`{Escape(view.Tool, 100)}`"),
            ("Result", view.State.ToWire()),
            ("Attempts", view.Attempts.ToString(CultureInfo.InvariantCulture)),
            ("Duration", $"{view.DurationMs.ToString(CultureInfo.InvariantCulture)} ms"),
        };
        facts.AddRange(view.Facts.Take(SlackBlocks.MaxFields - facts.Count).Select(f => (Escape(f.Key, 100), (string?)Escape(f.Value, 200))));
        var blocks = new SlackBlocks()
            .Section($"{ViewWording.StateIcon(view.State)} *Step {view.Number} · {Escape(view.Title, 200)}*\n{Escape(view.Summary, 1000)}")
            .Fields([.. facts]);
        if (view.Error is not null)
            blocks.Section("*Error*\n" + Escape(view.Error, 1000));

        var tail = new SlackBlocks().Context($"Run `{Escape(view.RunId, 64)}`");
        if (!string.IsNullOrEmpty(view.OutputExcerpt))
            blocks.Section(Output(view.OutputExcerpt, view.RunId, SlackBlocks.MaxTotalChars - blocks.Chars - tail.Chars));
        return new SlackMessage(Fallback(view.FallbackText), blocks.Append(tail).ToArray());
    }

    /// <summary>
    /// The output in a code block, cut to the room there is. The reporter may have cut it already (it
    /// then ends in "…"); either way the pointer says where the whole output is.
    /// </summary>
    private static string Output(string output, string runId, int room)
    {
        var pointer = "\n_" + Escape(TracePointer(runId)) + "_";
        var max = Math.Min(SlackBlocks.MaxSectionChars, room) - "``````".Length - pointer.Length;
        // A fence inside the output would end the code block early.
        var safe = output.Replace("```", "``\u200b`", StringComparison.Ordinal);
        var text = Escape(safe, Math.Max(max, 1));
        var cut = text.Length < Escape(safe).Length || output.EndsWith('…');
        return "```" + text + "```" + (cut ? pointer : "");
    }

    private static SlackMessage RenderSummary(RunSummaryView view)
    {
        var ok = view.Status == RunStatus.Succeeded;
        var blocks = new SlackBlocks()
            .Header(ok ? "✅ Run succeeded" : $"❌ Run {view.Status.ToWire().Replace('_', ' ')}")
            .Context(Escape(view.Goal, 300));
        var text = Escape(view.Text, SlackBlocks.MaxSectionChars - 200);
        blocks.Section(text.Length < Escape(view.Text).Length ? text + "\n_" + Escape(TracePointer(view.RunId, "summary")) + "_" : text);
        if (view.GoalVerdict is { } goal)
            blocks.Section("*" + Escape(ViewWording.GoalLine(goal, 1000), 1000) + "*");
        var tail = new SlackBlocks().Context($"Run `{Escape(view.RunId, 64)}`");
        var evidence = SlackBlocks.Pack([.. view.Evidence.Select(e => "• " + Escape(e, 400))],
            SlackBlocks.MaxBlocks - blocks.Count - tail.Count, SlackBlocks.MaxTotalChars - blocks.Chars - tail.Chars,
            n => $"… {n} more (full evidence in the trace: run {view.RunId})");
        foreach (var section in evidence)
            blocks.Section(section);
        return new SlackMessage(Fallback(view.FallbackText), blocks.Append(tail).ToArray());
    }

    private static SlackMessage RenderNotice(NoticeView view)
    {
        var icon = view.Tone switch { NoticeTone.Warning => "⚠️ ", NoticeTone.Error => "❌ ", _ => "" };
        var blocks = new SlackBlocks().Section($"{icon}*{Escape(view.Title.ReplaceLineEndings(" "), 500)}*");
        var tail = new SlackBlocks();
        if (view.RunId is not null)
            tail.Context($"Run `{Escape(view.RunId, 64)}`");
        var lines = SlackBlocks.Pack([.. view.Lines.Select(l => Escape(l, 500))],
            SlackBlocks.MaxBlocks - blocks.Count - tail.Count, SlackBlocks.MaxTotalChars - blocks.Chars - tail.Chars,
            n => view.RunId is null ? $"… {n} more line(s)" : $"… {n} more line(s) (in the trace: run {view.RunId})");
        foreach (var section in lines)
            blocks.Section(section);
        return new SlackMessage(Fallback(view.FallbackText), blocks.Append(tail).ToArray());
    }
}
