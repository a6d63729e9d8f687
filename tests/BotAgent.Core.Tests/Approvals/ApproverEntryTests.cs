using BotAgent.Core.Approvals;
using BotAgent.Core.Intake;

namespace BotAgent.Core.Tests.Approvals;

public sealed class ApproverEntryTests
{
    private static Member Teams(string id, string? aad = null) => new(id, "T", aad, null, "msteams");

    private static Member Slack(string team, string id, string? email = null) => new(id, "S", null, email, "slack:" + team);

    [Theory]
    [InlineData("teams:29:dana", ApproverKind.Teams, "29:dana", null)]
    [InlineData("teams:0b3f7c2e-1d2a-4c1b-9f3e-8a7b6c5d4e3f", ApproverKind.Teams, "0b3f7c2e-1d2a-4c1b-9f3e-8a7b6c5d4e3f", null)]
    [InlineData("slack:T01/U02", ApproverKind.Slack, "U02", "T01")]
    [InlineData("email:dana@contoso.com", ApproverKind.Email, "dana@contoso.com", null)]
    [InlineData("dana@contoso.com", ApproverKind.Email, "dana@contoso.com", null)]
    [InlineData("29:dana", ApproverKind.Teams, "29:dana", null)]
    [InlineData("0b3f7c2e-1d2a-4c1b-9f3e-8a7b6c5d4e3f", ApproverKind.Teams, "0b3f7c2e-1d2a-4c1b-9f3e-8a7b6c5d4e3f", null)]
    [InlineData("user-dana", ApproverKind.Bare, "user-dana", null)]
    public void Entries_say_what_they_are(string text, ApproverKind kind, string value, string? team)
    {
        Assert.Equal(new ApproverEntry(kind, value, team), ApproverEntry.Parse(text));
    }

    [Fact]
    public void A_teams_entry_matches_only_someone_teams_proved()
    {
        var entry = ApproverEntry.Parse("teams:29:dana");

        Assert.True(entry.Matches(Teams("29:dana")));
        Assert.False(entry.Matches(new Member("29:dana", "Dana", null, null, "emulator")));
        Assert.False(entry.Matches(new Member("29:dana", "Dana")));
        Assert.False(entry.Matches(Slack("T01", "29:dana")));
        Assert.True(ApproverEntry.Parse("teams:aad-dana").Matches(Teams("29:dana", "aad-dana")));
    }

    [Fact]
    public void A_slack_entry_holds_only_in_its_own_workspace()
    {
        var entry = ApproverEntry.Parse("slack:T01/U02");

        Assert.True(entry.Matches(Slack("T01", "U02")));
        Assert.False(entry.Matches(Slack("T99", "U02")));
        Assert.False(entry.Matches(Teams("U02")));
    }

    [Fact]
    public void An_email_holds_only_where_the_channel_vouched_for_the_address()
    {
        var entry = ApproverEntry.Parse("email:dana@contoso.com");

        Assert.True(entry.Matches(Slack("T01", "U02", "Dana@Contoso.com")));
        Assert.False(entry.Matches(new Member("dana@contoso.com", "Dana", null, "dana@contoso.com")));
        Assert.False(entry.Matches(Teams("dana@contoso.com")));
    }

    [Fact]
    public void A_bare_id_matches_that_id_on_a_channel_that_proves_ids_and_never_an_unproven_one()
    {
        var entry = ApproverEntry.Parse("user-dana");

        Assert.True(entry.Matches(new Member("user-dana", "Dana", null, null, "emulator")));
        Assert.True(entry.Matches(Slack("T01", "user-dana")));
        Assert.False(entry.Matches(new Member("user-dana", "Dana")));
        // Whoever holds the Direct Line secret, or picks a name on a local /chat, may type any id.
        Assert.False(entry.Matches(new Member("user-dana", "Dana", null, null, "directline")));
        Assert.False(entry.IsUnambiguous);
        Assert.True(ApproverEntry.Parse("slack:T01/U02").IsUnambiguous);
        Assert.False(ApproverEntry.Parse("slack:U02").IsUnambiguous);
    }

    [Fact]
    public void A_one_to_one_chat_is_opened_only_on_the_adapter_the_entry_belongs_to()
    {
        Assert.Equal("29:dana", ApproverEntry.Parse("teams:29:dana").DirectAddress("botframework"));
        Assert.Null(ApproverEntry.Parse("teams:29:dana").DirectAddress("slack"));
        Assert.Equal("U02", ApproverEntry.Parse("slack:T01/U02").DirectAddress("slack"));
        Assert.Null(ApproverEntry.Parse("slack:T01/U02").DirectAddress("botframework"));
        Assert.Null(ApproverEntry.Parse("email:dana@contoso.com").DirectAddress("slack"));
    }

    [Theory]
    [InlineData("teams:")]
    [InlineData("email: ")]
    [InlineData("slack:T01/")]
    [InlineData("slack:/U02")]
    [InlineData("teams:29:dana x")]
    [InlineData("  ")]
    public void A_malformed_entry_is_refused_at_start_with_what_to_write(string entry)
    {
        Assert.NotNull(ApproverEntry.Problem(entry));
        var options = new ApprovalOptions { HighRiskApprovers = ["teams:aad-dana", entry] };
        var results = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();
        Assert.Contains("Approvals:HighRiskApprovers:1", Assert.Single(results).ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("teams:aad-dana")]
    [InlineData("slack:T01/U02")]
    [InlineData("email:dana@contoso.com")]
    [InlineData(" 29:dana ")]
    public void Well_formed_entries_pass(string entry) => Assert.Null(ApproverEntry.Problem(entry));
}
