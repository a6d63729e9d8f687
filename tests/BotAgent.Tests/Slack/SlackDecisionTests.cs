using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.Slack;

/// <summary>Roles by Slack user id or e-mail, and the decision card for a write whose outcome is unknown.</summary>
public sealed class SlackDecisionTests
{
    private const string Dave = "U0DAVE0004";

    [Fact]
    public async Task Roles_name_Slack_users_by_id_or_e_mail_and_a_refusal_goes_only_to_the_clicker()
    {
        await using var s = await SlackScenario.StartAsync(new Dictionary<string, string?>
        {
            ["Roles:Default:AllowedTools:0"] = "*",
            ["Roles:Default:MaxRequestRisk"] = "write",
            ["Roles:Default:MaxApproveRisk"] = "read_only",
            ["Roles:Operators:Members:0"] = SlackScenario.Bob,
            ["Roles:Operators:Members:1"] = "dave@example.com",
            ["Roles:Operators:AllowedTools:0"] = "http.*",
            ["Roles:Operators:MaxApproveRisk"] = "write",
        });
        s.Slack.AddUser(Dave, "Dave", "dave@example.com");
        s.Target.Respond("/tickets", new TargetResponse(201, "created"));
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"1. http.request url={s.Target.Url("/tickets")} method=POST");

        await s.ClickAsync(SlackScenario.Carol, plan, "approve");
        var refusal = (await s.Slack.WaitForAsync(c => c.Method == "chat.postEphemeral", what: "Carol's refusal")).Single();
        Assert.Equal(SlackScenario.Carol, refusal.User);
        Assert.Contains("Carol, you may not approve this plan: Carol may approve at most read_only plans", refusal.BlockText);

        await s.ClickAsync(Dave, plan, "approve");
        await s.WaitForReplyAsync(plan.GoalTs, "Run succeeded");
        var final = await s.WaitForPlanTextAsync(plan, "Plan succeeded");
        Assert.Contains("Approved by Dave", final.BlockText);
        Assert.Equal(1, s.Target.HitCount("/tickets"));
    }

    [Fact]
    public async Task A_clicks_response_url_trigger_id_and_token_are_not_stored()
    {
        await using var s = await SlackScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"check {s.Target.Url("/health")}");

        await s.ClickAsync(SlackScenario.Alice, plan, "approve");
        await s.WaitForReplyAsync(plan.GoalTs, "Run succeeded");
        using var db = s.Bot.OpenDatabase();
        var clicks = (await db.QueryAsync<string>("SELECT payload FROM inbox WHERE payload LIKE '%block_actions%'")).ToList();
        Assert.Single(clicks);
        Assert.DoesNotContain("hooks.slack.invalid", clicks[0], StringComparison.Ordinal);
        Assert.DoesNotContain("trigger_id", clicks[0], StringComparison.Ordinal);
        Assert.DoesNotContain("legacy-verification-token", clicks[0], StringComparison.Ordinal);
        Assert.Contains("approve", clicks[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slack_connect_guest_with_a_members_address_is_not_that_member()
    {
        // Another organisation's workspace vouches for its own people's addresses, not for this workspace's.
        await using var s = await SlackScenario.StartAsync(new Dictionary<string, string?>
        {
            ["Roles:Default:AllowedTools:0"] = "*",
            ["Roles:Default:MaxApproveRisk"] = "read_only",
            ["Roles:Operators:Members:0"] = "dave@example.com",
            ["Roles:Operators:AllowedTools:0"] = "http.*",
            ["Roles:Operators:MaxApproveRisk"] = "write",
        });
        s.Slack.AddUser(Dave, "Dave", "dave@example.com", team: "T0OTHERORG");
        var plan = await s.PostGoalAsync(SlackScenario.Alice, $"1. http.request url={s.Target.Url("/tickets")} method=POST");

        await s.ClickAsync(Dave, plan, "approve");

        var refusal = (await s.Slack.WaitForAsync(c => c.Method == "chat.postEphemeral", what: "the guest's refusal")).Single();
        Assert.Contains("may approve at most read_only plans", refusal.BlockText);
        Assert.Equal(0, s.Target.HitCount("/tickets"));
    }

    [Fact]
    public async Task A_write_whose_outcome_is_unknown_gets_a_decision_card_an_approver_resolves()
    {
        await using var s = await SlackScenario.StartAsync(new Dictionary<string, string?> { ["Execution:StepTimeout"] = "00:00:01" });
        s.Target.Respond("/tickets", new TargetResponse(201, "created, but too late", Delay: TimeSpan.FromSeconds(5)));
        s.Target.Respond("/after", new TargetResponse(200, "after"));
        var plan = await s.PostGoalAsync(SlackScenario.Alice,
            $"Open a ticket\n1. http.request url={s.Target.Url("/tickets")} method=POST\n2. http.get <{s.Target.Url("/after")}>");
        await s.ClickAsync(SlackScenario.Bob, plan, "approve");

        var card = (await s.WaitForReplyAsync(plan.GoalTs, "Did this step happen?")).Single();
        var decision = s.Slack.Message(card.Ts!)!;
        Assert.Equal(["resolve-done", "resolve-retry", "resolve-stop"], decision.Buttons.Select(b => b["action_id"]!.GetValue<string>()));
        using (var db = s.Bot.OpenDatabase())
            Assert.Equal("awaiting_decision", await db.QuerySingleAsync<string>("SELECT status FROM runs"));

        // The requester may not decide about a write they asked for: told privately. An approver may.
        await s.SendInteractionAsync(s.Requests.Click(SlackScenario.Alice, decision, "resolve-done"));
        var refusal = (await s.Slack.WaitForAsync(c => c.Method == "chat.postEphemeral", what: "Alice's refusal")).Single();
        Assert.Contains("you may not decide this", refusal.BlockText);
        await s.SendInteractionAsync(s.Requests.Click(SlackScenario.Bob, decision, "resolve-done"));

        await s.WaitForReplyAsync(plan.GoalTs, "Run succeeded");
        var resolved = await Eventually.GetAsync(() =>
        {
            var current = s.Slack.Message(card.Ts!);
            return Task.FromResult(current?.BlockText.Contains("Bob confirmed step s1 happened", StringComparison.Ordinal) == true ? current : null);
        }, "the decision card to show the decision");
        Assert.Empty(resolved.Buttons);
        Assert.Equal(1, s.Target.HitCount("/after"));
    }
    [Fact]
    public async Task A_decision_nobody_makes_is_reminded_and_then_stops_the_run()
    {
        await using var s = await SlackScenario.StartAsync(new Dictionary<string, string?>
        {
            ["Execution:StepTimeout"] = "00:00:01",
            ["Approvals:Expiry"] = "00:00:12",
            ["Approvals:ReminderBefore"] = "00:00:10",
        });
        s.Target.Respond("/tickets", new TargetResponse(201, "created, but too late", Delay: TimeSpan.FromSeconds(5)));
        s.Target.Respond("/after", new TargetResponse(200, "after"));
        var plan = await s.PostGoalAsync(SlackScenario.Alice,
            $"Open a ticket\n1. http.request url={s.Target.Url("/tickets")} method=POST\n2. http.get <{s.Target.Url("/after")}>");
        await s.ClickAsync(SlackScenario.Bob, plan, "approve");
        await s.WaitForReplyAsync(plan.GoalTs, "Did this step happen?");

        var reminder = (await s.WaitForReplyAsync(plan.GoalTs, "Reminder")).Single();
        Assert.Contains("waiting for someone to say what happened", reminder.BlockText, StringComparison.Ordinal);
        await s.WaitForReplyAsync(plan.GoalTs, "nobody said in time");

        using var db = s.Bot.OpenDatabase();
        Assert.Equal("cancelled", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.Equal(0, s.Target.HitCount("/after"));
    }
}
