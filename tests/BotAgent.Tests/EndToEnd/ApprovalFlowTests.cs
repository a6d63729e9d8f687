using System.Net;
using BotAgent.Testing;
using Dapper;

namespace BotAgent.Tests.EndToEnd;

/// <summary>Goal → plan card → decision → execution → results, over real HTTP against a test channel.</summary>
public sealed class ApprovalFlowTests
{
    [Fact]
    public async Task Goal_approved_by_another_member_runs_once_reports_in_thread_and_updates_the_card()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "{\"status\":\"healthy\"}", "application/json"));

        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/health")}");

        Assert.Contains("Plan awaiting approval", card.Text);
        Assert.Contains($"check {s.Target.Url("/health")}", card.Text);
        Assert.Contains("1. GET " + s.Target.Url("/health"), card.Text);
        Assert.Contains("http.get", card.Text);
        Assert.Contains("read_only", card.Text);
        Assert.Contains("Who may approve", card.Text);
        Assert.Contains("Success criteria", card.Text);
        Assert.Equal("1.5", card.Card["version"]!.GetValue<string>());
        Assert.Equal(["Action.Submit", "Action.Submit"], CardTexts.Actions(card.Card).Select(a => a["type"]!.GetValue<string>()));
        Assert.Equal(0, s.Target.HitCount("/health"));

        var click = await s.SubmitAsync(BotScenario.Bob, card, "approve");
        Assert.Equal(HttpStatusCode.OK, click.StatusCode);

        var stepResult = (await s.WaitForReplyAsync(card, "Step 1")).Single();
        Assert.Contains("HTTP 200", stepResult.CardText);
        Assert.Contains("healthy", stepResult.CardText);
        var summary = (await s.WaitForReplyAsync(card, "Run succeeded")).Single();
        Assert.Contains("s1", summary.CardText);
        var final = await s.WaitForCardAsync(card, "Plan succeeded");
        Assert.Contains("Approved by Bob", CardTexts.Of(final));
        Assert.Empty(CardTexts.Actions(final));
        Assert.True(stepResult.Sequence < summary.Sequence, "the step result comes before the summary");

        Assert.Equal(1, s.Target.HitCount("/health"));
        Assert.Contains(s.Channel.Calls, c => c.IsUpdate && c.ActivityId == card.ActivityId);
        foreach (var call in s.Channel.Calls.Where(c => c.Card is not null))
            AdaptiveCardSchema.AssertValid(call.Card!);

        using var db = s.Bot.OpenDatabase();
        var run = await db.QuerySingleAsync<(string Id, string Status, string Goal, int PlanVersion)>("SELECT id, status, goal, plan_version FROM runs");
        Assert.Equal("succeeded", run.Status);
        Assert.Equal($"check {s.Target.Url("/health")}", run.Goal);
        Assert.Equal(1, run.PlanVersion);
        var plan = await db.QuerySingleAsync<string>("SELECT plan_json FROM plan_versions WHERE run_id = @Id AND version = 1", new { run.Id });
        Assert.Contains("\"tool\":\"http.get\"", plan);
        var approver = await db.QuerySingleAsync<(string Name, string Decision, int PlanVersion)>(
            "SELECT approver_name, decision, plan_version FROM approval_decisions WHERE run_id = @Id", new { run.Id });
        Assert.Equal(("Bob", "approve", 1), approver);
        var attempt = await db.QuerySingleAsync<(string ArgsJson, string State, string Summary, string Output)>(
            "SELECT args_json, state, summary, output FROM step_attempts WHERE run_id = @Id", new { run.Id });
        Assert.Contains(s.Target.Url("/health"), attempt.ArgsJson);
        Assert.Equal("succeeded", attempt.State);
        Assert.Contains("HTTP 200", attempt.Summary);
        Assert.Contains("healthy", attempt.Output);
        Assert.True(await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM planning_events WHERE run_id = @Id", new { run.Id }) >= 3);
        Assert.True(await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM execution_events WHERE run_id = @Id AND type = 'attempt.finished'", new { run.Id }) == 1);
    }

    [Fact]
    public async Task Reject_updates_the_card_and_runs_nothing()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/health")}");

        await s.SubmitAsync(BotScenario.Bob, card, "reject");

        var final = await s.WaitForCardAsync(card, "Plan rejected");
        Assert.Contains("Rejected by Bob", CardTexts.Of(final));
        Assert.Empty(CardTexts.Actions(final));
        AdaptiveCardSchema.AssertValid(final);
        using var db = s.Bot.OpenDatabase();
        Assert.Equal("rejected", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM step_attempts"));
        Assert.Equal(0, s.Target.HitCount("/health"));
    }

    [Fact]
    public async Task Replayed_stale_and_late_clicks_change_nothing_and_say_why()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/health")}");

        // A click on a card showing another plan version.
        var stale = card.ButtonData("approve").DeepClone().AsObject();
        stale["planHash"] = "0000000000000000";
        await s.Bot.PostActivityAsync(s.Activities.Submit(BotScenario.Bob, stale, card.ActivityId));
        var staleNotice = (await s.WaitForReplyAsync(card, "older version of the plan")).Single();
        Assert.Contains("Nothing changed", staleNotice.CardText);

        // The real click, then the same activity delivered again (a channel retry).
        await s.SubmitAsync(BotScenario.Bob, card, "approve", activityId: "click-1");
        await s.SubmitAsync(BotScenario.Bob, card, "approve", activityId: "click-1");
        await s.WaitForReplyAsync(card, "Run succeeded");

        // A click on the finished run.
        await s.SubmitAsync(BotScenario.Carol, card, "reject", activityId: "click-2");
        var late = (await s.WaitForReplyAsync(card, "already finished")).Single();
        Assert.Contains("Nothing changed", late.CardText);

        Assert.Equal(1, s.Target.HitCount("/health"));
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM approval_decisions"));
        Assert.Equal("succeeded", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM inbox WHERE dedupe_key LIKE '%:click-1'"));
    }

    [Fact]
    public async Task Two_approvals_at_the_same_moment_run_the_plan_once()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "ok"));
        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/health")}");

        using var start = new SemaphoreSlim(0);
        var clicks = new[] { BotScenario.Bob, BotScenario.Carol }.Select(async who =>
        {
            await start.WaitAsync();
            return await s.SubmitAsync(who, card, "approve");
        }).ToList();
        start.Release(2);
        Assert.All(await Task.WhenAll(clicks), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        await s.WaitForReplyAsync(card, "Run succeeded");
        var loser = (await s.WaitForReplyAsync(card, "Nothing changed")).Single();
        Assert.Contains("already", loser.CardText);

        Assert.Equal(1, s.Target.HitCount("/health"));
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM step_attempts"));
        Assert.Single(s.Channel.Calls, c => c.IsPost && c.CardText.Contains("Run succeeded", StringComparison.Ordinal));
    }
}
