using BotAgent.Core.Execution;
using BotAgent.Core.Runs;

namespace BotAgent.Channels;

/// <summary>The words and icons for states and risks, shared by every channel's rendering of the views.</summary>
internal static class ViewWording
{
    public static string Header(RunStatus status) => status switch
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
