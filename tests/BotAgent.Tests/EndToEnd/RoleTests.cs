using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.EndToEnd;

/// <summary>Roles: who may use which tools, ask for how much risk, and approve how much.</summary>
public sealed class RoleTests
{
    private static readonly Dictionary<string, string?> Roles = new()
    {
        ["Roles:Default:AllowedTools:0"] = "*",
        ["Roles:Default:MaxRequestRisk"] = "read_only",
        ["Roles:Default:MaxApproveRisk"] = "read_only",
        ["Roles:Operators:Members:0"] = "user-bob",
        // Entra object ids count only from Teams (other channels let the client claim them): here, channel ids.
        ["Roles:Operators:Members:1"] = "user-dave",
        ["Roles:Operators:AllowedTools:0"] = "http.*",
        ["Roles:Operators:MaxRequestRisk"] = "write",
        ["Roles:Operators:MaxApproveRisk"] = "write",
    };

    [Fact]
    public async Task A_user_above_their_risk_ceiling_is_refused_by_policy_with_the_reason_in_the_thread_and_traced()
    {
        await using var s = await BotScenario.StartAsync(settings: Roles);
        var goal = s.Activities.Message(BotScenario.Alice, $"1. http.request url={s.Target.Url("/t")} method=POST");

        await s.Bot.PostActivityAsync(goal);

        var notice = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == goal["id"]!.GetValue<string>(), what: "the refusal")).Single();
        Assert.Contains("Alice may ask for at most read_only plans; this one is write", notice.CardText);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal("policy_denied", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.Contains("at most read_only", await db.QuerySingleAsync<string>("SELECT data_json FROM planning_events WHERE type = 'policy.verdict'"));
        Assert.Equal(0, s.Target.HitCount("/t"));
    }

    [Fact]
    public async Task An_approver_above_their_approval_ceiling_is_refused_and_an_allowed_one_runs_it()
    {
        await using var s = await BotScenario.StartAsync(settings: Roles);
        s.Target.Respond("/t", new TargetResponse(201, "created"));
        var card = await s.PostGoalAsync(BotScenario.Bob, $"1. http.request url={s.Target.Url("/t")} method=POST");

        await s.SubmitAsync(BotScenario.Carol, card, "approve");
        var refusal = (await s.WaitForReplyAsync(card, "may approve at most read_only plans")).Single();
        Assert.Contains("Carol, you may not approve this plan", refusal.CardText);

        await s.SubmitAsync(Activities.User("user-dave", "Dave", "aad-dave"), card, "approve");
        await s.WaitForReplyAsync(card, "Run succeeded");
        Assert.Equal(1, s.Target.HitCount("/t"));
        using var db = s.Bot.OpenDatabase();
        Assert.Contains("approval.refused", await db.QueryAsync<string>("SELECT type FROM execution_events"));
    }

    [Fact]
    public async Task A_tool_outside_the_requesters_role_is_refused_and_help_does_not_offer_it()
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?>(Roles)
        {
            ["Roles:Default:AllowedTools:0"] = "http.get",
        });
        var goal = s.Activities.Message(BotScenario.Alice, $"1. http.request url={s.Target.Url("/t")}");
        await s.Bot.PostActivityAsync(goal);
        var notice = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == goal["id"]!.GetValue<string>(), what: "the refusal")).Single();
        Assert.Contains("Alice may not use http.request", notice.CardText);

        var help = s.Activities.Message(BotScenario.Alice, "help");
        await s.Bot.PostActivityAsync(help);
        var answer = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == help["id"]!.GetValue<string>(), what: "help")).Single();
        Assert.Contains("`http.get`", answer.CardText);
        Assert.DoesNotContain("`http.request`", answer.CardText);
    }
}
