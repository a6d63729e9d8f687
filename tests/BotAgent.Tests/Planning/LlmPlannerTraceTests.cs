using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;
using Microsoft.Extensions.Logging;

namespace BotAgent.Tests.Planning;

/// <summary>Every model call is traced (tokens, latency, prompt version, raw output); the API key is never written anywhere.</summary>
public sealed class LlmPlannerTraceTests
{
    [Theory]
    [InlineData(ModelWire.OpenAI)]
    [InlineData(ModelWire.Azure)]
    public async Task Model_calls_are_traced_with_tokens_latency_prompt_version_and_raw_output(ModelWire wire)
    {
        await using var s = await ModelScenario.StartAsync(wire);
        s.Target.Respond("/status", new TargetResponse(200, "green"));
        var url = s.Target.Url("/status");
        var plan = ModelPlans.Plan("Check", "2xx", ModelPlans.Get("s1", "Fetch the page", url));
        s.Model.Enqueue(
            ModelReply.Completion("not a plan", promptTokens: 1001, completionTokens: 11),
            ModelReply.Completion(plan, promptTokens: 1302, completionTokens: 87),
            ModelReply.Completion(LlmPlannerTests.Summary, promptTokens: 404, completionTokens: 33));

        var card = await s.PostGoalAsync(BotScenario.Alice, $"look at {url}");
        await s.ClickAsync(BotScenario.Bob, card, "approve");
        await s.WaitForReplyAsync(card.GoalId, "Run succeeded");

        using var db = s.Bot.OpenDatabase();
        var calls = (await db.QueryAsync<string>("SELECT data_json FROM planning_events WHERE type = 'model.call' ORDER BY id"))
            .Select(j => JsonNode.Parse(j)!.AsObject()).ToList();
        // After the step the model is asked whether the plan is on track (the test server answers "continue").
        Assert.Equal(["plan", "plan.repair", "observe", "summary"], calls.Select(c => c["purpose"]!.GetValue<string>()));
        Assert.Equal([1001L, 1302L, 120L, 404L], calls.Select(c => c["inputTokens"]!.GetValue<long>()));
        Assert.Equal([11L, 87L, 60L, 33L], calls.Select(c => c["outputTokens"]!.GetValue<long>()));
        Assert.Equal(["not a plan", plan, TestModelServer.ContinueReply.Content!, LlmPlannerTests.Summary], calls.Select(c => c["rawOutput"]!.GetValue<string>()));
        foreach (var call in calls)
        {
            Assert.True(call["latencyMs"]!.GetValue<long>() >= 0);
            Assert.Equal("plan-v3", call["promptVersion"]!.GetValue<string>());
            Assert.Matches("^[0-9a-f]{12}$", call["promptHash"]!.GetValue<string>());
            Assert.Equal(wire == ModelWire.OpenAI ? "OpenAI" : "AzureOpenAI", call["provider"]!.GetValue<string>());
            Assert.Equal("stop", call["finishReason"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData(ModelWire.OpenAI)]
    [InlineData(ModelWire.Azure)]
    public async Task The_api_key_appears_in_no_trace_row_outbox_row_card_or_log_line(ModelWire wire)
    {
        await using var s = await ModelScenario.StartAsync(wire);
        s.Target.Respond("/status", new TargetResponse(500, "down"));
        s.Target.Respond("/mirror", new TargetResponse(200, "green"));
        var status = s.Target.Url("/status");
        // A plan after a repair, a revision, and a summary call that fails (its error is logged and traced).
        s.Model.Enqueue(
            ModelReply.Completion("no plan here"),
            ModelReply.Completion(ModelPlans.Plan("Check", "2xx", ModelPlans.Get("s1", "Fetch the page", status))),
            ModelReply.Completion(ModelPlans.Plan("Check", "2xx", ModelPlans.Get("s2", "Fetch the mirror", s.Target.Url("/mirror")))),
            ModelReply.Error(400, "invalid request"));

        var card = await s.PostGoalAsync(BotScenario.Alice, $"look at {status}");
        await s.ClickAsync(BotScenario.Bob, card, "approve");
        await s.WaitForReplyAsync(card.GoalId, "Run succeeded");
        await s.WaitForCardAsync(card, "Replaced by plan v2");

        // The key did go to the model, as the credential of each wire path.
        Assert.All(s.Model.Requests, r => Assert.Contains(ModelScenario.ApiKey, wire == ModelWire.OpenAI ? r.Authorization : r.ApiKey));

        using (var db = s.Bot.OpenDatabase())
        {
            Assert.Contains("model.error", await db.QueryAsync<string>("SELECT type FROM planning_events"));
            foreach (var (table, column) in new[] { ("planning_events", "data_json"), ("execution_events", "data_json"), ("outbox", "view_json"), ("plan_versions", "plan_json"), ("runs", "outcome") })
            {
                var values = (await db.QueryAsync<string?>($"SELECT {column} FROM {table}")).ToList();
                Assert.NotEmpty(values);
                Assert.All(values, v => Assert.DoesNotContain(ModelScenario.ApiKey, v ?? ""));
            }
        }
        Assert.All(s.Channel.Calls, c => Assert.DoesNotContain(ModelScenario.ApiKey, c.Body?.ToJsonString() ?? ""));

        var logs = s.Logs.Lines;
        Assert.Contains(logs, l => l.Level == LogLevel.Trace);
        Assert.Contains(logs, l => l.Level >= LogLevel.Warning && l.Message.Contains("summary", StringComparison.Ordinal));
        Assert.All(logs, l => Assert.DoesNotContain(ModelScenario.ApiKey, l.ToString()));
        // Nor a recognisable part of it.
        Assert.All(logs, l => Assert.DoesNotContain("SECRET-123", l.ToString()));
    }
}
