using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.Planning;
using BotAgent.Tests.Traces;
using Dapper;

namespace BotAgent.Tests.EndToEnd;

/// <summary>
/// "Was the goal met?" beside "did the steps run?": each verdict produced by a real run and shown in the thread
/// (summary and card), on the run page and in the JSON ledger; <c>explain</c> tells a plan that did not reach its
/// goal from a failed execution.
/// </summary>
public sealed class GoalVerdictTests : IDisposable
{
    private readonly TempFolder _logs = new("botagent-goal");

    public GoalVerdictTests() => _logs.Write("app.log", "10:00:01 GET /pay 200", "10:00:02 GET /pay 200");

    [Fact]
    public async Task A_check_whose_expectation_holds_meets_its_goal()
    {
        await using var s = await BotScenario.StartAsync();
        s.Target.Respond("/health", new TargetResponse(200, "ok"));

        var card = await s.PostGoalAsync(BotScenario.Alice, $"check {s.Target.Url("/health")}");
        Assert.Contains("expects HTTP 2xx", card.Text);
        await s.SubmitAsync(BotScenario.Alice, card, "approve");

        var summary = (await s.WaitForReplyAsync(card, "Run succeeded")).Single();
        Assert.Contains("Goal met: every expectation held: s1 HTTP 200 (evidence: s1)", summary.CardText);
        await s.WaitForCardAsync(card, "🎯 Goal met");
        await AssertRecordedAsync(s.Bot, RunId(card), "met", ["s1"]);
    }

    [Fact]
    public async Task A_search_that_finds_nothing_ends_the_plan_as_not_met_and_explain_calls_it_a_planning_problem()
    {
        await using var s = await BotScenario.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Tools:Logs:Enabled"] = "true",
            ["Tools:Logs:Roots:0"] = Path.Combine(_logs.Path, "*.log"),
        });

        var card = await s.PostGoalAsync(BotScenario.Alice, "search logs for timeout");
        Assert.Contains("expects at least 1 found", card.Text);
        await s.SubmitAsync(BotScenario.Alice, card, "approve");

        var summary = (await s.WaitForReplyAsync(card, "Run succeeded")).Single();
        Assert.Contains("Goal not met: step s1 did not show what was expected: expected at least 1, found 0", summary.CardText);
        await s.WaitForCardAsync(card, "⚠️ Plan ran; goal not met");
        var runId = RunId(card);
        await AssertRecordedAsync(s.Bot, runId, "not_met", ["s1"]);
        var page = await TracePage.GetAsync(s.Bot, $"/runs/{runId}");
        Assert.Contains("""data-verdict="goal-not-met" """.TrimEnd(), page.Html);

        var explain = s.Activities.Message(BotScenario.Alice, "explain");
        await s.Bot.PostActivityAsync(explain);
        var answer = (await s.Channel.WaitForAsync(c => c.IsPost && c.Succeeded && c.ActivityId == explain["id"]!.GetValue<string>(), what: "the explanation")).Single();
        Assert.Contains("Verdict: goal not met", answer.CardText);
        Assert.Contains("Every step succeeded but the plan did not reach the goal: a planning problem, not an execution failure.", answer.CardText);
    }

    [Fact]
    public async Task A_model_that_cannot_tell_from_the_results_says_inconclusive()
    {
        await using var s = await ModelScenario.StartAsync();
        s.Target.Respond("/status", new TargetResponse(200, "status page: all systems operational"));
        s.Model.Responder = r => r.Purpose switch
        {
            ModelPurpose.Plan => ModelReply.Completion(ModelPlans.Plan("Is the database healthy?", "The database answers queries.",
                ModelPlans.Get("s1", "Fetch the status page", s.Target.Url("/status")))),
            ModelPurpose.Summary => ModelReply.Completion(ModelPlans.Summary("The status page is green [s1].", "inconclusive",
                "the status page says nothing about the database itself", "s1", "s9")),
            _ => null,
        };

        var card = await s.PostGoalAsync(BotScenario.Alice, "Is the database healthy?");
        await s.ClickAsync(BotScenario.Bob, card, "approve");

        var summary = (await s.WaitForReplyAsync(card.GoalId, "Run succeeded")).Single();
        Assert.Contains("The status page is green [s1].", summary.CardText);
        Assert.Contains("Goal: inconclusive: the status page says nothing about the database itself (evidence: s1)", summary.CardText);
        await s.WaitForCardAsync(card, "Goal: inconclusive");
        await AssertRecordedAsync(s.Bot, RunId(card), "inconclusive", ["s1"]);
        using var db = s.Bot.OpenDatabase();
        var judged = JsonNode.Parse(await db.QuerySingleAsync<string>("SELECT data_json FROM planning_events WHERE type = 'goal.judged'"))!;
        Assert.Equal("planner", judged["by"]!.GetValue<string>());
    }

    private static string RunId(PlanCard card) => card.ButtonData("approve")["runId"]!.GetValue<string>();

    /// <summary>The verdict on the run page and in the JSON ledger.</summary>
    private static async Task AssertRecordedAsync(BotUnderTest bot, string runId, string verdict, string[] evidence)
    {
        var page = await TracePage.GetAsync(bot, $"/runs/{runId}");
        Assert.Contains($"""<p id="goal-verdict" class="goal {verdict.Replace('_', '-')}" data-goal="{verdict}">""", page.Html);
        var ledger = JsonNode.Parse(await (await bot.GetAsync($"/runs/{runId}.json")).Content.ReadAsStringAsync())!;
        Assert.Equal(verdict, ledger["goal"]!["verdict"]!.GetValue<string>());
        Assert.Equal(evidence, ledger["goal"]!["evidence"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(ledger["goal"]!["reason"]!.GetValue<string>()));
    }

    public void Dispose() => _logs.Dispose();
}
