using BotAgent.Core.Intake;
using BotAgent.Core.Runs;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Approvals;

/// <summary>
/// The default approval rules: anyone (the requester included) may approve a read-only plan, so one
/// person can try the bot alone; a write needs someone other than the requester; high risk needs a
/// configured approver.
/// </summary>
public sealed class ApprovalRules(IOptions<ApprovalOptions> options, Policy.Permissions? permissions = null)
{
    public ApprovalRequirement For(RiskLevel risk) => risk switch
    {
        RiskLevel.ReadOnly => new(risk, 1, RequesterMayApprove: true, Approvers: null),
        RiskLevel.Write => new(risk, options.Value.WriteQuorum, RequesterMayApprove: false, Approvers: null),
        // Named approvers: the configured list and everyone in a role that may approve high-risk plans.
        _ => new(risk, options.Value.HighRiskQuorum, RequesterMayApprove: false,
            [.. options.Value.HighRiskApprovers.Concat(permissions?.ApproversFor(RiskLevel.High) ?? []).Distinct(StringComparer.OrdinalIgnoreCase)]),
    };

    /// <summary>Null when <paramref name="member"/> may approve; otherwise the reason they may not.</summary>
    public static string? WhyNotApprover(ApprovalRequirement requirement, Member requester, Member member)
    {
        var isRequester = string.Equals(requester.Id, member.Id, StringComparison.OrdinalIgnoreCase);
        if (isRequester && !requirement.RequesterMayApprove)
            return $"a {requirement.Risk.ToWire()} plan needs approval from someone other than the person who asked for it";
        if (requirement.Approvers is { } approvers && !approvers.Any(member.IsIdentifiedBy))
            return approvers.Count == 0
                ? "no approvers are configured for this risk level"
                : $"only configured approvers may approve a {requirement.Risk.ToWire()} plan";
        // Someone whose client chose their id could be the requester under another name, or one person clicking twice.
        if (!requirement.RequesterMayApprove && member.ProvenBy is null)
            return $"a {requirement.Risk.ToWire()} plan needs approval from someone the channel vouches for (Teams, Slack, the Emulator), and this channel lets people name themselves";
        return null;
    }

    /// <summary>The requester may always withdraw their own plan; anyone who may approve may reject.</summary>
    public static string? WhyNotRejecter(ApprovalRequirement requirement, Member requester, Member member) =>
        string.Equals(requester.Id, member.Id, StringComparison.OrdinalIgnoreCase)
            ? null
            : WhyNotApprover(requirement, requester, member);

    public static string Describe(ApprovalRequirement requirement, Member requester)
    {
        var who = requirement switch
        {
            { AnyMember: true, RequesterMayApprove: true } => "any member of this conversation, including " + requester.Name,
            { AnyMember: true } when requester.ProvenBy is null =>
                "nobody here: this channel lets people name themselves, so its write plans cannot be approved on it",
            { AnyMember: true } => "any member of this conversation other than " + requester.Name,
            { Approvers.Count: 0 } => "nobody: no approvers are configured for high-risk plans",
            _ => "a configured approver (" + string.Join(", ", requirement.Approvers!) + ")",
        };
        return requirement.Quorum > 1 ? $"{requirement.Quorum} approvals from {who}" : who[..1].ToUpperInvariant() + who[1..];
    }
}
