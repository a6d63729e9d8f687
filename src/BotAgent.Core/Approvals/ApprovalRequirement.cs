using BotAgent.Core.Runs;

namespace BotAgent.Core.Approvals;

/// <summary>Who must approve a plan before it runs. Decided by policy when the plan is proposed and stored with the run.</summary>
/// <param name="Quorum">How many distinct allowed approvers must approve.</param>
/// <param name="RequesterMayApprove">Whether the person who asked may approve their own plan.</param>
/// <param name="Approvers">
/// Member ids or AAD object ids allowed to approve. Null: any member of the conversation. Empty: nobody
/// (for example, a high-risk plan when no approvers are configured).
/// </param>
public sealed record ApprovalRequirement(
    RiskLevel Risk,
    int Quorum,
    bool RequesterMayApprove,
    IReadOnlyList<string>? Approvers)
{
    public bool AnyMember => Approvers is null;
}
