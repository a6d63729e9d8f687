using System.Text;

namespace BotAgent.Core.Planning;

/// <summary>The offline planner's summary: deterministic, citing step ids.</summary>
public static class RunSummaryText
{
    public static string Deterministic(SummaryRequest request)
    {
        var total = request.Plan.Steps.Count;
        var ok = request.Results.Count(r => r.Succeeded);
        var skipped = request.Skipped?.Count ?? 0;
        var text = new StringBuilder();
        if (request.Succeeded)
        {
            var ran = total - skipped;
            text.Append(ran == 1 ? "The step succeeded" : $"All {ran} steps that ran succeeded");
            if (skipped > 0)
                text.Append($"; {skipped} later step(s) were skipped ({string.Join(", ", request.Skipped!)})").Append(request.StoppedBecause is null ? "" : ": " + request.StoppedBecause);
            text.Append(". Success criteria: ").Append(request.Plan.SuccessCriteria);
        }
        else
        {
            var failed = request.Results.FirstOrDefault(r => !r.Succeeded);
            text.Append(failed is null ? $"Stopped: {request.StoppedBecause ?? "the plan could not go on"}." : $"Failed at {failed.StepId} ({failed.Title}): {failed.Summary}.");
            if (ok > 0)
                text.Append($" {ok} step(s) before it succeeded.");
            var notRun = total - request.Results.Count;
            if (notRun > 0)
                text.Append($" {notRun} later step(s) were not run.");
        }
        if (request.Goal is { } goal)
            text.Append(' ').Append(goal.Headline).Append(": ").Append(goal.Reason).Append('.');
        return text.ToString();
    }
}
