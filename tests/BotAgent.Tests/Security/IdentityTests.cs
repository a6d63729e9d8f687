using System.Net;
using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;

namespace BotAgent.Tests.Security;

/// <summary>
/// A person is who the channel that proved them says they are, where it proved it. On a channel whose client writes
/// <c>from.id</c> itself (Web Chat, Direct Line), claiming a configured approver's Teams id approves nothing; and a
/// named approver's click counts only in the run's own conversation or in their 1:1 chat with the bot on the run's
/// channel, never from another conversation that happens to know the run id and plan hash.
/// </summary>
public sealed class IdentityTests
{
    private static readonly Dictionary<string, string?> HighRiskShell = new()
    {
        ["Tools:Shell:Enabled"] = "true",
        ["Tools:Shell:AllowedExecutables:0"] = "/bin/echo",
        ["Approvals:HighRiskApprovers:0"] = "29:dana",
    };

    private const string Goal = "1. shell.run {\"executable\": \"/bin/echo\", \"args\": [\"hello\"]}";

    [Fact]
    public async Task A_web_chat_user_claiming_a_teams_approvers_id_cannot_approve_a_high_risk_plan()
    {
        await using var s = await BotScenario.StartAsync("msteams", HighRiskShell);
        var card = await s.PostGoalAsync(BotScenario.Alice, Goal);

        var webChat = new Activities(s.Channel.ServiceUrl, "webchat", "webchat-1");
        var response = await s.Bot.PostActivityAsync(webChat.Submit(Activities.User("29:dana", "Dana"), card.ButtonData("approve"), card.ActivityId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await s.Channel.WaitForAsync(c => c.IsPost && c.ConversationId == "webchat-1" && c.CardText.Contains("another conversation", StringComparison.Ordinal),
            what: "the refusal in the web chat");
        await AssertStillWaitingAsync(s);
    }

    [Fact]
    public async Task An_unproven_person_in_the_runs_own_conversation_claiming_the_approvers_id_is_not_that_approver()
    {
        await using var s = await BotScenario.StartAsync("webchat", HighRiskShell, conversationId: "webchat-1");
        var card = await s.PostGoalAsync(BotScenario.Alice, Goal);

        await s.SubmitAsync(Activities.User("29:dana", "Dana"), card, "approve");

        await s.WaitForReplyAsync(card, "only configured approvers may approve");
        await AssertStillWaitingAsync(s);
    }

    [Fact]
    public async Task On_web_chat_made_up_ids_do_not_make_a_write_quorum()
    {
        await using var s = await BotScenario.StartAsync("webchat", new Dictionary<string, string?> { ["Approvals:WriteQuorum"] = "2" }, conversationId: "webchat-1");
        var card = await s.PostGoalAsync(BotScenario.Alice, $"1. http.request url={s.Target.Url("/deploy")} method=POST");
        Assert.Contains("this channel lets people name themselves", card.Text);

        await s.SubmitAsync(Activities.User("alice-again", "Alice"), card, "approve");
        await s.SubmitAsync(Activities.User("alice-once-more", "Alice"), card, "approve");

        await s.WaitForReplyAsync(card, "someone the channel vouches for", count: 2);
        await AssertStillWaitingAsync(s);
        Assert.Equal(0, s.Target.HitCount("/deploy"));
    }

    [Fact]
    public async Task A_named_approvers_click_from_another_group_chat_does_not_count()
    {
        await using var s = await BotScenario.StartAsync("msteams", HighRiskShell);
        var card = await s.PostGoalAsync(BotScenario.Alice, Goal);

        var elsewhere = new Activities(s.Channel.ServiceUrl, "msteams", "19:other-group@thread.v2");
        var click = elsewhere.Submit(Activities.User("29:dana", "Dana"), card.ButtonData("approve"), card.ActivityId);
        click["conversation"]!["conversationType"] = "groupChat";
        await s.Bot.PostActivityAsync(click);

        await s.Channel.WaitForAsync(c => c.IsPost && c.ConversationId == "19:other-group@thread.v2" && c.CardText.Contains("another conversation", StringComparison.Ordinal),
            what: "the refusal in the other chat");
        await AssertStillWaitingAsync(s);
    }

    private static async Task AssertStillWaitingAsync(BotScenario s)
    {
        using var db = s.Bot.OpenDatabase();
        Assert.Equal("awaiting_approval", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM approval_decisions"));
    }
}
