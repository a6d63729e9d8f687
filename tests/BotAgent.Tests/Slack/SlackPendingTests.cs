using BotAgent.Testing;

namespace BotAgent.Tests.Slack;

/// <summary>
/// <c>pending</c> on Slack (the slash command and a mention): what the asker may approve from where they ask, with
/// buttons that take the one decision path; nothing from a channel they cannot act from.
/// </summary>
public sealed class SlackPendingTests
{
    private const string Dana = "U0DANA0004";
    private const string DanaDm = "D0DANA0004";
    private const string Other = "C0OTHER001";

    [Fact]
    public async Task Pending_lists_the_plans_the_asker_may_approve_here_and_a_click_on_the_listed_one_approves()
    {
        await using var s = await SlackScenario.StartAsync();
        s.Target.Respond("/tickets", new TargetResponse(201, "ticket 7"));
        var write = await s.PostGoalAsync(SlackScenario.Alice, $"1. http.request url=<{s.Target.Url("/tickets")}> method=POST body=\"disk full\"");

        // Alice may not approve her own write: nothing for her.
        var alice = await AskAsync(s, SlackScenario.Alice, SlackScenario.Channel, cards: 0);
        Assert.Contains("Alice, nothing is waiting for your approval in this conversation", alice.Notice.BlockText);

        var bob = await AskAsync(s, SlackScenario.Bob, SlackScenario.Channel, cards: 1);
        Assert.Contains("Bob, 1 waiting for your approval", bob.Notice.BlockText);
        var copy = bob.Cards.Single();
        Assert.Contains("Plan awaiting approval", copy.BlockText);
        Assert.Contains("/tickets", copy.BlockText);

        await s.ClickAsync(SlackScenario.Bob, new SlackPlan(copy, copy.Ts!), "approve");
        await s.WaitForPlanTextAsync(write, "approved by Bob");
        await s.WaitForReplyAsync(write.GoalTs, "Run succeeded");
        Assert.Equal(1, s.Target.HitCount("/tickets"));
    }

    [Fact]
    public async Task A_plan_in_another_channel_is_not_shown_and_a_named_approver_sees_it_only_in_her_direct_chat()
    {
        await using var s = await SlackScenario.StartAsync(new Dictionary<string, string?>
        {
            ["Tools:Shell:Enabled"] = "true",
            ["Tools:Shell:AllowedExecutables:0"] = "/bin/echo",
            ["Approvals:HighRiskApprovers:0"] = $"slack:{TestSlackServer.TeamId}/{Dana}",
        });
        s.Slack.AddUser(Dana, "Dana");
        await s.PostGoalAsync(SlackScenario.Alice, $"check <{s.Target.Url("/secret-health")}>");
        var high = await s.PostGoalAsync(SlackScenario.Alice, "1. shell.run {\"executable\": \"/bin/echo\", \"args\": [\"payroll\"]}");

        foreach (var who in new[] { SlackScenario.Carol, Dana })
        {
            var elsewhere = await AskAsync(s, who, Other, cards: 0);
            Assert.Contains("nothing is waiting for your approval in this conversation", elsewhere.Notice.BlockText);
            Assert.Contains("listed only in a direct chat with me", elsewhere.Notice.BlockText);
        }
        Assert.DoesNotContain(s.Slack.Calls, c => c.Channel == Other && (c.BlockText.Contains("secret-health", StringComparison.Ordinal) || c.BlockText.Contains("payroll", StringComparison.Ordinal)));

        var dana = await AskAsync(s, Dana, DanaDm, cards: 1);
        Assert.Contains("asked by Alice in another conversation", dana.Notice.BlockText);
        Assert.Contains("payroll", dana.Cards.Single().BlockText);
        Assert.DoesNotContain(s.Slack.Calls, c => c.Channel == DanaDm && c.BlockText.Contains("secret-health", StringComparison.Ordinal));

        await s.ClickAsync(Dana, new SlackPlan(dana.Cards.Single(), dana.Cards.Single().Ts!), "approve");
        await s.WaitForPlanTextAsync(high, "approved by Dana");
    }

    [Fact]
    public async Task Asking_for_someone_elses_approvals_is_refused_by_command_and_by_mention()
    {
        await using var s = await SlackScenario.StartAsync();
        await s.PostGoalAsync(SlackScenario.Alice, $"check <{s.Target.Url("/health")}>");

        await s.SendCommandAsync(s.Requests.SlashCommand(SlackScenario.Bob, SlackScenario.Channel, $"pending for <@{SlackScenario.Alice}|alice>"));
        var mention = s.Requests.Mention(SlackScenario.Bob, SlackScenario.Channel, $"pending <@{SlackScenario.Alice}>");
        await s.SendEventAsync(mention);

        var refusals = await s.Slack.WaitForAsync(c => c.Method == "chat.postMessage" && c.Ok
            && c.BlockText.Contains("lists only what waits for you", StringComparison.Ordinal), 2, what: "two refusals");
        Assert.All(refusals, r => Assert.DoesNotContain("/health", r.BlockText));
        Assert.Single(refusals, r => r.ThreadTs == mention["event"]!["ts"]!.GetValue<string>());
        Assert.Equal(1, s.Slack.Calls.Count(c => c.Method == "chat.postMessage" && c.BlockText.Contains("Plan awaiting approval", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_flood_of_pending_commands_gets_three_answers_and_one_warning()
    {
        await using var s = await SlackScenario.StartAsync();
        await s.PostGoalAsync(SlackScenario.Alice, $"check <{s.Target.Url("/health")}>");
        var before = s.Slack.Calls.Count;

        for (var i = 0; i < 6; i++)
            await s.SendCommandAsync(s.Requests.SlashCommand(SlackScenario.Bob, SlackScenario.Channel, "pending"));
        await s.SendCommandAsync(s.Requests.SlashCommand(SlackScenario.Carol, SlackScenario.Channel, "status"));
        await s.Slack.WaitForAsync(c => c.Method == "chat.postMessage" && c.Ok && c.BlockText.Contains("in progress here", StringComparison.Ordinal), what: "the status");

        var posts = s.Slack.Calls.Skip(before).Where(c => c.Method == "chat.postMessage" && c.Ok).ToList();
        Assert.Equal(3, posts.Count(c => c.BlockText.Contains("Bob, 1 waiting for your approval", StringComparison.Ordinal)));
        Assert.Equal(3, posts.Count(c => c.BlockText.Contains("Plan awaiting approval", StringComparison.Ordinal)));
        Assert.Single(posts, c => c.BlockText.Contains("3 times in the last minute", StringComparison.Ordinal));
        Assert.Equal(8, posts.Count);
    }

    /// <summary>
    /// <c>/botagent pending</c> typed by <paramref name="user"/> in <paramref name="channel"/>, and the answer: a notice,
    /// then <paramref name="cards"/> cards (a command's answers start at the top of the conversation).
    /// </summary>
    private static async Task<Answer> AskAsync(SlackScenario s, string user, string channel, int cards)
    {
        var before = s.Slack.Calls.Count;
        await s.SendCommandAsync(s.Requests.SlashCommand(user, channel, "pending"));
        // Everything typed in a conversation is answered in order: after `status`, nothing more comes for `pending`.
        await s.SendCommandAsync(s.Requests.SlashCommand(user, channel, "status"));
        await s.Slack.WaitForAsync(c => c.Sequence > before && c.Method == "chat.postMessage" && c.Ok && c.Channel == channel
            && (c.BlockText.Contains("in progress here", StringComparison.Ordinal) || c.BlockText.Contains("Nothing is waiting or running", StringComparison.Ordinal)), what: "the status after it");
        var posts = s.Slack.Calls.Where(c => c.Sequence > before && c.Method == "chat.postMessage" && c.Ok && c.Channel == channel).OrderBy(c => c.Sequence).ToList();
        Assert.Equal(cards + 2, posts.Count);
        Assert.All(posts, p => Assert.Null(p.ThreadTs));
        return new Answer(posts[0], posts.Skip(1).Take(cards).ToList());
    }

    private sealed record Answer(SlackCall Notice, IReadOnlyList<SlackCall> Cards);
}
