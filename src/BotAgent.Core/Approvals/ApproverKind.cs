namespace BotAgent.Core.Approvals;

/// <summary>What a configured approver entry says it is (<see cref="ApproverEntry"/>).</summary>
public enum ApproverKind
{
    /// <summary>An id with nothing to say where it holds (the older form).</summary>
    Bare,
    Teams,
    Slack,
    Email,
}
