using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;

namespace BotAgent.Tests.Planning;

/// <summary>Model output that is not a valid plan goes back to the model with the problems, a bounded number of times.</summary>
public sealed class LlmPlanRepairTests
{
    [Fact]
    public async Task Output_that_is_not_json_names_an_unknown_tool_or_has_bad_arguments_is_repaired_within_MaxRepairs()
    {
        await using var s = await ModelScenario.StartAsync(settings: new Dictionary<string, string?> { ["Planner:MaxRepairs"] = "3" });
        var url = s.Target.Url("/status");
        s.Model.Enqueue(
            ModelReply.Completion("Sure! I will check that page for you."),
            ModelReply.Completion(ModelPlans.Plan("Check", "2xx", ModelPlans.Step("s1", "Fetch the page", "http.fetch", new JsonObject { ["url"] = url }))),
            ModelReply.Completion(ModelPlans.Plan("Check", "2xx", ModelPlans.Step("s1", "Fetch the page", "http.get", new JsonObject { ["uri"] = url }))),
            ModelReply.Completion("Here it is:\n```json\n" + ModelPlans.Plan("Check", "2xx", ModelPlans.Get("s1", "Fetch the page", url)) + "\n```"));

        var card = await s.PostGoalAsync(BotScenario.Alice, $"look at {url}");

        Assert.Contains("1. Fetch the page", card.Text);
        Assert.Contains("http.get", card.Text);
        var requests = s.Model.Requests;
        Assert.Equal([ModelPurpose.Plan, ModelPurpose.Repair, ModelPurpose.Repair, ModelPurpose.Repair], requests.Select(r => r.Purpose));
        Assert.Contains("The answer contains no JSON object.", requests[1].LastUserMessage);
        Assert.Contains(("assistant", "Sure! I will check that page for you."), requests[1].Messages);
        Assert.Contains("there is no tool 'http.fetch'", requests[2].LastUserMessage);
        Assert.Contains("http.get arguments", requests[3].LastUserMessage);
        Assert.All(requests, r => Assert.Equal("json_schema", r.ResponseFormat?["type"]?.GetValue<string>()));

        using var db = s.Bot.OpenDatabase();
        var validations = (await db.QueryAsync<string>("SELECT data_json FROM planning_events WHERE type = 'plan.validation' ORDER BY id"))
            .Select(j => JsonNode.Parse(j)!).ToList();
        Assert.Equal([false, false, false, true], validations.Select(v => v["valid"]!.GetValue<bool>()));
        Assert.Equal([0, 1, 2, 3], validations.Select(v => v["attempt"]!.GetValue<int>()));
        Assert.Equal("awaiting_approval", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
    }

    [Fact]
    public async Task Output_still_invalid_after_the_repairs_fails_with_a_clear_message_and_keeps_the_raw_output()
    {
        await using var s = await ModelScenario.StartAsync(settings: new Dictionary<string, string?> { ["Planner:MaxRepairs"] = "1" });
        s.Model.Enqueue(
            ModelReply.Completion("I cannot help with that."),
            ModelReply.Completion(ModelPlans.Plan("Run it", "Done", ModelPlans.Step("s1", "Run uptime", "shell.run", new JsonObject { ["command"] = "uptime" }))));

        var goalId = await s.SendGoalAsync(BotScenario.Alice, "how long has the box been up?");

        var notice = (await s.WaitForReplyAsync(goalId, "did not produce a valid plan after 1 repair(s)")).Single();
        Assert.Contains("nothing was planned", notice.CardText);
        Assert.Contains("there is no tool 'shell.run'", notice.CardText);
        Assert.Equal(2, s.Model.Requests.Count);

        using var db = s.Bot.OpenDatabase();
        var run = await db.QuerySingleAsync<(string Status, string Outcome)>("SELECT status, outcome FROM runs");
        Assert.Equal("failed", run.Status);
        Assert.StartsWith("planning failed: The planning model did not produce a valid plan", run.Outcome);
        var raw = (await db.QueryAsync<string>("SELECT data_json FROM planning_events WHERE type = 'model.call' ORDER BY id"))
            .Select(j => JsonNode.Parse(j)!["rawOutput"]!.GetValue<string>()).ToList();
        Assert.Equal("I cannot help with that.", raw[0]);
        Assert.Contains("\"tool\":\"shell.run\"", raw[1]);
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM plan_versions"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM step_attempts"));
    }

    [Fact]
    public async Task A_plan_with_more_steps_than_Policy_MaxSteps_goes_back_to_the_model_with_the_limit()
    {
        // The limit is configuration, checked by policy for every planner's plans; the model is told it and held to it.
        await using var s = await ModelScenario.StartAsync(settings: new Dictionary<string, string?> { ["Policy:MaxSteps"] = "2" });
        var url = s.Target.Url("/status");
        s.Model.Enqueue(
            ModelReply.Completion(ModelPlans.Plan("Check", "2xx", ModelPlans.Get("s1", "First look", url), ModelPlans.Get("s2", "Second look", url), ModelPlans.Get("s3", "Third look", url))),
            ModelReply.Completion(ModelPlans.Plan("Check", "2xx", ModelPlans.Get("s1", "First look", url), ModelPlans.Get("s2", "Second look", url))));

        var card = await s.PostGoalAsync(BotScenario.Alice, $"look at {url} a few times");

        Assert.Contains("2. Second look", card.Text);
        Assert.DoesNotContain("Third look", card.Text);
        var requests = s.Model.Requests;
        Assert.Equal([ModelPurpose.Plan, ModelPurpose.Repair], requests.Select(r => r.Purpose));
        Assert.Contains("At most 2 steps.", requests[0].SystemPrompt);
        Assert.Contains("The plan has 3 steps; at most 2 are allowed.", requests[1].LastUserMessage);
    }

    [Fact]
    public async Task Repairs_stop_at_the_runs_model_call_budget()
    {
        await using var s = await ModelScenario.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Planner:MaxRepairs"] = "5",
            ["Planner:MaxModelCallsPerRun"] = "3",
        });
        s.Model.Responder = _ => ModelReply.Completion("still no plan");

        var goalId = await s.SendGoalAsync(BotScenario.Alice, "how long has the box been up?");

        await s.WaitForReplyAsync(goalId, "nothing was planned");
        Assert.Equal(3, s.Model.Requests.Count);
        using var db = s.Bot.OpenDatabase();
        var error = await db.QuerySingleAsync<string>("SELECT data_json FROM planning_events WHERE type = 'model.error'");
        Assert.Contains("used its 3 model calls", error);
        Assert.Equal("failed", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_planning_failure_notice_does_not_present_model_problems_as_the_offline_menu(bool modelDown)
    {
        await using var s = await ModelScenario.StartAsync(settings: new Dictionary<string, string?> { ["Planner:MaxRepairs"] = "0" });
        if (!modelDown)
            s.Model.Enqueue(ModelReply.Completion("I cannot help with that."));

        var goalId = await s.SendGoalAsync(BotScenario.Alice, "how long has the box been up?");

        var notice = (await s.WaitForReplyAsync(goalId, "nothing was planned")).Single();
        // "Here is what I can do:" introduces the offline planner's playbooks; after a model failure it
        // heads either nothing or the model's validation problems.
        Assert.DoesNotContain("Here is what I can do", notice.CardText);
    }
}
