namespace BotAgent.Core.Approvals;

public enum ApprovalVerb
{
    Approve,
    Reject,
}
