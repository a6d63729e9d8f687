using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;
using BotAgent.Core.Runs;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Tests.Approvals;

public sealed class ApprovalRulesTests
{
    private static readonly Member Rita = new("u-rita", "Rita", "aad-rita", ProvenBy: "msteams");
    private static readonly Member Bob = new("u-bob", "Bob", "aad-bob", ProvenBy: "msteams");
    private static readonly Member Ann = new("29:ann", "Ann", "aad-ann", ProvenBy: "msteams");

    private static ApprovalRequirement Requirement(RiskLevel risk, params string[] highRiskApprovers) =>
        new ApprovalRules(Options.Create(new ApprovalOptions { HighRiskApprovers = [.. highRiskApprovers] })).For(risk);

    [Fact]
    public void Requester_may_approve_own_read_only_plan()
    {
        Assert.Null(ApprovalRules.WhyNotApprover(Requirement(RiskLevel.ReadOnly), Rita, Rita));
    }

    [Fact]
    public void Any_member_may_approve_a_read_only_plan()
    {
        Assert.Null(ApprovalRules.WhyNotApprover(Requirement(RiskLevel.ReadOnly), Rita, Bob));
    }

    [Fact]
    public void Approve_by_requester_of_write_plan_is_refused()
    {
        var reason = ApprovalRules.WhyNotApprover(Requirement(RiskLevel.Write), Rita, Rita);

        Assert.NotNull(reason);
        Assert.Contains("someone other than the person who asked", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Requester_is_recognised_whatever_the_case_of_their_id()
    {
        Assert.NotNull(ApprovalRules.WhyNotApprover(Requirement(RiskLevel.Write), Rita, Rita with { Id = "U-RITA" }));
    }

    [Fact]
    public void Another_member_may_approve_a_write_plan()
    {
        Assert.Null(ApprovalRules.WhyNotApprover(Requirement(RiskLevel.Write), Rita, Bob));
    }

    [Fact]
    public void A_person_who_named_themselves_approves_no_write_plan_though_any_id_they_pick_differs_from_the_requesters()
    {
        // Web Chat: the client writes from.id, so "another member" may be the requester under a new id, twice over.
        var webRita = new Member("webchat-rita", "Rita");
        var madeUp = new Member("webchat-someone-else", "Someone");

        var reason = ApprovalRules.WhyNotApprover(Requirement(RiskLevel.Write), webRita, madeUp);

        Assert.Contains("someone the channel vouches for", reason, StringComparison.Ordinal);
        Assert.Null(ApprovalRules.WhyNotApprover(Requirement(RiskLevel.ReadOnly), webRita, madeUp));
        Assert.Null(ApprovalRules.WhyNotRejecter(Requirement(RiskLevel.Write), webRita, webRita)); // they may withdraw their own
        Assert.Equal("Nobody here: this channel lets people name themselves, so its write plans cannot be approved on it",
            ApprovalRules.Describe(Requirement(RiskLevel.Write), webRita));
    }

    [Fact]
    public void Configured_approver_named_by_member_id_may_approve_a_high_risk_plan()
    {
        Assert.Null(ApprovalRules.WhyNotApprover(Requirement(RiskLevel.High, "29:ann"), Rita, Ann));
    }

    [Fact]
    public void Configured_approver_named_by_AAD_object_id_may_approve_a_high_risk_plan()
    {
        Assert.Null(ApprovalRules.WhyNotApprover(Requirement(RiskLevel.High, "AAD-ANN"), Rita, Ann));
    }

    [Fact]
    public void Approve_by_member_who_is_not_a_configured_approver_of_high_risk_plan_is_refused()
    {
        var reason = ApprovalRules.WhyNotApprover(Requirement(RiskLevel.High, "29:ann"), Rita, Bob);

        Assert.NotNull(reason);
        Assert.Contains("only configured approvers", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Approve_by_requester_of_high_risk_plan_is_refused_even_when_they_are_a_configured_approver()
    {
        Assert.NotNull(ApprovalRules.WhyNotApprover(Requirement(RiskLevel.High, "u-rita"), Rita, Rita));
    }

    [Fact]
    public void High_risk_plan_cannot_be_approved_by_anyone_when_no_approvers_are_configured()
    {
        // ApprovalOptions.HighRiskApprovers: "Empty: no high-risk plan can be approved."
        var requirement = Requirement(RiskLevel.High);

        foreach (var member in new[] { Bob, Ann })
        {
            var reason = ApprovalRules.WhyNotApprover(requirement, Rita, member);
            Assert.NotNull(reason);
            Assert.Contains("no approvers are configured", reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void High_risk_plan_without_configured_approvers_is_described_as_approvable_by_nobody()
    {
        var text = ApprovalRules.Describe(Requirement(RiskLevel.High), Rita);

        Assert.StartsWith("Nobody", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RiskLevel.ReadOnly)]
    [InlineData(RiskLevel.Write)]
    [InlineData(RiskLevel.High)]
    public void Requester_may_reject_own_plan_at_any_risk(RiskLevel risk)
    {
        Assert.Null(ApprovalRules.WhyNotRejecter(Requirement(risk), Rita, Rita));
    }

    [Fact]
    public void Member_who_may_approve_may_also_reject()
    {
        Assert.Null(ApprovalRules.WhyNotRejecter(Requirement(RiskLevel.High, "29:ann"), Rita, Ann));
        Assert.Null(ApprovalRules.WhyNotRejecter(Requirement(RiskLevel.Write), Rita, Bob));
    }

    [Fact]
    public void Member_who_may_not_approve_a_high_risk_plan_may_not_reject_it_either()
    {
        Assert.NotNull(ApprovalRules.WhyNotRejecter(Requirement(RiskLevel.High, "29:ann"), Rita, Bob));
    }

    [Fact]
    public void Requirement_takes_quorums_and_approvers_from_options()
    {
        var rules = new ApprovalRules(Options.Create(new ApprovalOptions { WriteQuorum = 2, HighRiskQuorum = 3, HighRiskApprovers = ["a", "b", "c"] }));

        Assert.Equal(1, rules.For(RiskLevel.ReadOnly).Quorum);
        Assert.Equal(2, rules.For(RiskLevel.Write).Quorum);
        Assert.Equal(3, rules.For(RiskLevel.High).Quorum);
        Assert.Equal(["a", "b", "c"], rules.For(RiskLevel.High).Approvers);
        Assert.Null(rules.For(RiskLevel.Write).Approvers); // any member
    }

    [Fact]
    public void Description_says_who_may_approve()
    {
        Assert.Equal("Any member of this conversation, including Rita", ApprovalRules.Describe(Requirement(RiskLevel.ReadOnly), Rita));
        Assert.Equal("Any member of this conversation other than Rita", ApprovalRules.Describe(Requirement(RiskLevel.Write), Rita));
        Assert.Equal("A configured approver (29:ann)", ApprovalRules.Describe(Requirement(RiskLevel.High, "29:ann"), Rita));
    }
}
