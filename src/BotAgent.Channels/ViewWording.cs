using BotAgent.Core.Execution;
using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;

namespace BotAgent.Channels;

/// <summary>The words and icons for states and risks, shared by every channel's rendering of the views.</summary>
internal static class ViewWording
{
    /// <summary>On a plan card sent again because the first copy may not have arrived.</summary>
    public const string SentAgain = "↻ Sent again: an earlier copy of this card may also have arrived. Either copy works; a decision counts once.";

    public static string Header(RunStatus status, GoalVerdict? goal = null) => (status, goal?.Verdict) switch
    {
        (RunStatus.Succeeded, GoalStatus.NotMet) => "⚠️ Plan ran; goal not met",
        _ => Header(status),
    };

    /// <summary>One step's detail line: tool, what it reaches, arguments, effective risk, expectation.</summary>
    /// <param name="max">The longest each of the arguments, the targets and the expectation may be.</param>
    public static string StepDetail(StepView step, string args, int max)
    {
        var targets = TextExcerpt.Truncate(step.Targets ?? "", max);
        var detail = targets.Length == 0 ? $"{step.Tool} · {TextExcerpt.Truncate(args, max)} · {step.Risk.ToWire()}" : $"{step.Tool} on {targets} · {TextExcerpt.Truncate(args, max)} · {step.Risk.ToWire()}";
        return step.Expectation is null ? detail : $"{detail} · {TextExcerpt.Truncate(step.Expectation, max)}";
    }

    /// <summary>"🎯 Goal met: why (evidence s1, s2)".</summary>
    public static string GoalLine(GoalVerdict goal, int max)
    {
        var icon = goal.Verdict switch { GoalStatus.Met => "🎯", GoalStatus.NotMet => "⚠️", _ => "❔" };
        var evidence = goal.Evidence.Count == 0 ? "" : $" (evidence: {string.Join(", ", goal.Evidence)})";
        return TextExcerpt.Truncate($"{icon} {goal.Headline}: {goal.Reason}{evidence}", max);
    }

    public static string GoalColor(GoalVerdict goal) => goal.Verdict switch
    {
        GoalStatus.Met => "Good",
        GoalStatus.NotMet => "Attention",
        _ => "Warning",
    };

    private static string Header(RunStatus status) => status switch
    {
        RunStatus.AwaitingApproval => "📋 Plan awaiting approval",
        RunStatus.Approved or RunStatus.Running => "▶️ Plan approved, running",
        RunStatus.Succeeded => "✅ Plan succeeded",
        RunStatus.Failed => "❌ Plan failed",
        RunStatus.Rejected => "🚫 Plan rejected",
        RunStatus.Expired => "⌛ Plan expired",
        RunStatus.Cancelled => "⛔ Plan cancelled",
        RunStatus.PolicyDenied => "🚫 Plan refused by policy",
        RunStatus.AwaitingDecision => "❓ Plan waiting for a decision",
        _ => "📋 Plan",
    };

    public static string RiskText(RiskLevel risk) => risk switch
    {
        RiskLevel.ReadOnly => "read_only (reads only, changes nothing)",
        RiskLevel.Write => "write (makes reversible changes)",
        _ => "high (irreversible or sensitive)",
    };

    public static string StateIcon(StepState state) => state switch
    {
        StepState.Pending => "⏳",
        StepState.Running => "▶️",
        StepState.Succeeded => "✅",
        StepState.Failed => "❌",
        StepState.TimedOut => "⏱️",
        StepState.Cancelled => "⛔",
        StepState.OutcomeUnknown => "❓",
        _ => "⏭️",
    };
}
