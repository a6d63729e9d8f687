using System.Text;
using BotAgent.Core.Execution;

namespace BotAgent.Core.Planning;

/// <summary>The offline planner's summary: deterministic, citing step ids.</summary>
public static class RunSummaryText
{
    public static string Deterministic(SummaryRequest request)
    {
        var total = request.Plan.Steps.Count;
        var ok = request.Results.Count(r => r.Succeeded);
        var text = new StringBuilder();
        if (request.Succeeded)
        {
            text.Append(total == 1 ? "The step succeeded" : $"All {total} steps succeeded");
            text.Append(". Success criteria: ").Append(request.Plan.SuccessCriteria);
        }
        else
        {
            var failed = request.Results.First(r => !r.Succeeded);
            text.Append($"Failed at {failed.StepId} ({failed.Title}): {failed.Summary}.");
            if (ok > 0)
                text.Append($" {ok} step(s) before it succeeded.");
            var skipped = total - request.Results.Count;
            if (skipped > 0)
                text.Append($" {skipped} later step(s) were not run.");
        }
        return text.ToString();
    }
}
