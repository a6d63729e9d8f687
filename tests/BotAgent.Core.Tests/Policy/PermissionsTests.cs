using BotAgent.Core.Intake;
using BotAgent.Core.Policy;
using BotAgent.Core.Runs;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Tests.Policy;

public sealed class PermissionsTests
{
    private static readonly Member Ann = new("29:ann", "Ann", "aad-ann", "ann@contoso.com", "slack:T1");
    private static readonly Member Bob = new("29:bob", "Bob", ProvenBy: "msteams");

    private static Permissions With(Dictionary<string, RoleOptions> roles) => new(Options.Create(roles));

    [Fact]
    public void Without_roles_everyone_may_use_every_tool_at_every_risk()
    {
        var permissions = With([]);

        Assert.Null(permissions.WhyNotTool(Bob, "shell.run"));
        Assert.Null(permissions.WhyNotRequest(Bob, RiskLevel.High));
        Assert.Null(permissions.WhyNotApprove(Bob, RiskLevel.High));
        Assert.False(permissions.Configured);
    }

    [Fact]
    public void Members_are_matched_by_channel_id_entra_object_id_or_email_and_others_get_the_default_role()
    {
        var permissions = With(new()
        {
            ["Default"] = new RoleOptions { AllowedTools = ["http.get"], MaxRequestRisk = "read_only", MaxApproveRisk = "read_only" },
            ["Ops"] = new RoleOptions { Members = ["ann@contoso.com"], AllowedTools = ["http.*", "mcp.github.*"], MaxRequestRisk = "write", MaxApproveRisk = "high" },
        });

        Assert.Null(permissions.WhyNotTool(Ann, "http.request"));
        Assert.Null(permissions.WhyNotTool(Ann, "mcp.github.create_issue"));
        Assert.NotNull(permissions.WhyNotTool(Ann, "shell.run"));
        Assert.Contains("Bob may not use http.request (role Default)", permissions.WhyNotTool(Bob, "http.request"));
        Assert.Null(permissions.WhyNotRequest(Ann, RiskLevel.Write));
        Assert.Equal("Ann may ask for at most write plans; this one is high", permissions.WhyNotRequest(Ann, RiskLevel.High));
        Assert.Equal("Bob may approve at most read_only plans; this one is write", permissions.WhyNotApprove(Bob, RiskLevel.Write));
        Assert.Equal(["ann@contoso.com"], permissions.ApproversFor(RiskLevel.High));
    }

    [Fact]
    public void A_member_of_several_roles_gets_the_most_permissive_of_them()
    {
        var permissions = With(new()
        {
            ["Readers"] = new RoleOptions { Members = ["29:ann"], AllowedTools = ["logs.search"], MaxRequestRisk = "read_only" },
            ["Writers"] = new RoleOptions { Members = ["aad-ann"], AllowedTools = ["webhook.post"], MaxRequestRisk = "write" },
        });

        Assert.Null(permissions.WhyNotTool(Ann, "logs.search"));
        Assert.Null(permissions.WhyNotTool(Ann, "webhook.post"));
        Assert.Null(permissions.WhyNotRequest(Ann, RiskLevel.Write));
    }
}
