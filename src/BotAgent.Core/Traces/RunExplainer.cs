using System.Globalization;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Traces;

/// <summary>Explains a run from its ledger: the verdict and the key facts (plan, decisions, steps, outcome).</summary>
public sealed class RunExplainer(IRunStore runs, IStepAttemptStore attempts)
{
    public async Task<NoticeView?> ExplainAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        if (run is null)
            return null;
        var verdict = RunVerdicts.Of(run);
        var lines = new List<string>
        {
            "Goal: " + TextExcerpt.Truncate(run.Goal.ReplaceLineEndings(" "), 200),
            $"Requested by {run.Requester.Name} at {run.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}; status {run.Status.ToWire().Replace('_', ' ')}.",
        };
        if (run.Outcome is not null)
            lines.Add("Why: " + run.Outcome);
        if (run.GoalVerdict is { } goal)
            lines.Add($"{goal.Headline}: {goal.Reason}{(goal.Evidence.Count == 0 ? "" : $" (evidence: {string.Join(", ", goal.Evidence)})")}.");
        lines.AddRange(Diagnosis(run));
        if (run.PlanVersion > 0)
            lines.Add($"Plan v{run.PlanVersion} ({run.PlanHash}), risk {run.RiskLevel?.ToWire() ?? "?"}.");
        foreach (var decision in await runs.GetDecisionsAsync(runId, cancellationToken))
            lines.Add($"{(decision.Verb == ApprovalVerb.Approve ? "Approved" : "Rejected")} by {decision.Approver.Name} (plan v{decision.PlanVersion}).");
        foreach (var attempt in (await attempts.ListAsync(runId, cancellationToken)).GroupBy(a => (a.PlanVersion, a.StepId)).Select(g => g.MaxBy(a => a.Attempt)!))
            lines.Add($"Step {attempt.StepId} ({attempt.Tool}) {attempt.State.ToWire()} after {attempt.Attempt} attempt(s): {TextExcerpt.Truncate(attempt.Summary ?? "", 160)}");
        var tone = verdict switch
        {
            RunVerdict.Succeeded or RunVerdict.InProgress => NoticeTone.Info,
            RunVerdict.GoalNotMet => NoticeTone.Warning,
            RunVerdict.ExecutionFailure or RunVerdict.PlanningFailure => NoticeTone.Error,
            _ => NoticeTone.Warning,
        };
        return new NoticeView($"Verdict: {verdict.Describe()}", lines, tone, run.Id);
    }

    /// <summary>"Was the plan wrong, or did execution fail?", in the cases the goal verdict tells apart.</summary>
    private static IEnumerable<string> Diagnosis(Runs.Run run)
    {
        switch (run.Status, run.GoalVerdict?.Verdict)
        {
            case (RunStatus.Succeeded, GoalStatus.NotMet):
                yield return "Every step succeeded but the plan did not reach the goal: a planning problem, not an execution failure.";
                break;
            case (RunStatus.Failed, GoalStatus.NotMet) when !run.Outcome?.StartsWith("planning failed", StringComparison.Ordinal) ?? true:
                yield return "Execution failed before the goal could be reached.";
                break;
        }
    }
}
