using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using Dapper;

namespace BotAgent.Tests.Planning;

/// <summary>
/// The real bot planning through a loopback server that speaks the Chat Completions wire format, on
/// the OpenAI and the Azure OpenAI path: goal → the model's plan on the card → approve → run → the
/// model's summary, and what the requests carry.
/// </summary>
public sealed class LlmPlannerTests
{
    internal const string Summary = "The status page answered HTTP 200 [s1], so the success criteria were met.";

    [Theory]
    [InlineData(ModelWire.OpenAI)]
    [InlineData(ModelWire.Azure)]
    public async Task Goal_is_planned_by_the_model_shown_on_the_card_approved_run_and_summarised_by_the_model(ModelWire wire)
    {
        await using var s = await ModelScenario.StartAsync(wire);
        s.Target.Respond("/status", new TargetResponse(200, "{\"status\":\"green\"}", "application/json"));
        var url = s.Target.Url("/status");
        s.Model.Responder = r => r.Purpose switch
        {
            ModelPurpose.Plan => ModelReply.Completion(ModelPlans.Plan("Check the status page", "The status page answers 2xx.",
                ModelPlans.Get("s1", "Fetch the status page", url))),
            ModelPurpose.Summary => ModelReply.Completion(Summary),
            _ => null,
        };

        var card = await s.PostGoalAsync(BotScenario.Alice, $"Is our status page healthy? It is at {url}");

        Assert.Contains("Plan awaiting approval", card.Text);
        Assert.Contains("Check the status page", card.Text);
        Assert.Contains("1. Fetch the status page", card.Text);
        Assert.Contains("http.get", card.Text);
        Assert.Contains(url, card.Text);
        Assert.Contains("Success criteria: The status page answers 2xx.", card.Text);
        Assert.Equal(0, s.Target.HitCount("/status"));
        AdaptiveCardSchema.AssertValid(card.Card);

        await s.ClickAsync(BotScenario.Bob, card, "approve");

        var summary = (await s.WaitForReplyAsync(card.GoalId, "Run succeeded")).Single();
        Assert.Contains(Summary, summary.CardText);
        await s.WaitForCardAsync(card, "Plan succeeded");
        Assert.Equal(1, s.Target.HitCount("/status"));

        var summaryRequest = Assert.Single(s.Model.Requests, r => r.IsSummary);
        Assert.Contains("[s1] http.get succeeded", summaryRequest.LastUserMessage);
        Assert.Contains("green", summaryRequest.LastUserMessage);
        // The summary is asked for as JSON with the goal verdict; this model answered plain text, which is kept as the summary.
        Assert.Equal(["summary", "verdict", "reason", "evidence"], summaryRequest.ResponseFormat!["json_schema"]!["schema"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));

        using var db = s.Bot.OpenDatabase();
        var planner = await db.QuerySingleAsync<string>("SELECT planner FROM plan_versions");
        Assert.Equal(wire == ModelWire.OpenAI ? "OpenAI:" + ModelScenario.OpenAIModel : "AzureOpenAI:" + ModelScenario.AzureDeployment, planner);
        Assert.Equal("succeeded", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
    }

    [Fact]
    public async Task OpenAI_requests_go_to_v1_chat_completions_with_a_bearer_key_the_tool_catalogue_and_a_json_schema()
    {
        await using var s = await ModelScenario.StartAsync(ModelWire.OpenAI);
        var url = s.Target.Url("/status");
        s.Model.Responder = r => r.IsPlanning ? ModelReply.Completion(ModelPlans.Plan("Check", "2xx", ModelPlans.Get("s1", "GET it", url))) : null;

        await s.PostGoalAsync(BotScenario.Alice, $"look at {url}");

        var request = Assert.Single(s.Model.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Null(request.Deployment);
        Assert.Equal("Bearer " + ModelScenario.ApiKey, request.Authorization);
        Assert.Null(request.ApiKey);
        Assert.Equal(ModelScenario.OpenAIModel, request.Body?["model"]?.GetValue<string>());
        AssertCarriesCatalogueAndSchema(request);
        Assert.Contains($"look at {url}", request.LastUserMessage);
    }

    [Fact]
    public async Task Azure_requests_go_to_the_deployment_path_with_an_api_version_an_api_key_header_the_tool_catalogue_and_a_json_schema()
    {
        await using var s = await ModelScenario.StartAsync(ModelWire.Azure);
        var url = s.Target.Url("/status");
        s.Model.Responder = r => r.IsPlanning ? ModelReply.Completion(ModelPlans.Plan("Check", "2xx", ModelPlans.Get("s1", "GET it", url))) : null;

        await s.PostGoalAsync(BotScenario.Alice, $"look at {url}");

        var request = Assert.Single(s.Model.Requests);
        Assert.Equal($"/openai/deployments/{ModelScenario.AzureDeployment}/chat/completions", request.Path);
        Assert.Equal(ModelScenario.AzureDeployment, request.Deployment);
        Assert.Matches(@"[?&]api-version=\d{4}-\d{2}-\d{2}", request.Query);
        Assert.Equal(ModelScenario.ApiKey, request.ApiKey);
        Assert.DoesNotContain(ModelScenario.ApiKey, request.Authorization ?? "");
        AssertCarriesCatalogueAndSchema(request);
    }

    [Fact]
    public async Task Without_structured_output_the_plan_is_asked_for_as_a_plain_json_object()
    {
        await using var s = await ModelScenario.StartAsync(settings: new Dictionary<string, string?> { ["Planner:StructuredOutput"] = "false" });
        var url = s.Target.Url("/status");
        s.Model.Responder = r => r.IsPlanning ? ModelReply.Completion(ModelPlans.Plan("Check", "2xx", ModelPlans.Get("s1", "GET it", url))) : null;

        var card = await s.PostGoalAsync(BotScenario.Alice, $"look at {url}");

        Assert.Contains("1. GET it", card.Text);
        var request = Assert.Single(s.Model.Requests);
        Assert.Equal("json_object", request.ResponseFormat?["type"]?.GetValue<string>());
        Assert.Null(request.ResponseFormat?["json_schema"]);
        Assert.Contains("http.get", request.SystemPrompt);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_retried_by_the_client_and_the_goal_is_still_planned()
    {
        await using var s = await ModelScenario.StartAsync();
        var url = s.Target.Url("/status");
        s.Model.Enqueue(
            ModelReply.TooManyRequests(TimeSpan.FromSeconds(1)),
            ModelReply.Completion(ModelPlans.Plan("Check", "2xx", ModelPlans.Get("s1", "GET it", url))));

        var card = await s.PostGoalAsync(BotScenario.Alice, $"look at {url}");

        Assert.Contains("1. GET it", card.Text);
        var requests = s.Model.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900),
            $"the retry waited {(requests[1].At - requests[0].At).TotalMilliseconds:0} ms; Retry-After said 1 s");
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM planning_events WHERE type = 'model.call'"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM planning_events WHERE type = 'model.error'"));
    }

    [Fact]
    public async Task A_model_that_keeps_failing_gets_a_clear_message_and_the_run_ends_as_a_planning_failure()
    {
        await using var s = await ModelScenario.StartAsync(); // nothing scripted: every request gets a 500
        var started = TimeProvider.System.GetTimestamp();

        var goalId = await s.SendGoalAsync(BotScenario.Alice, $"look at {s.Target.Url("/status")}");

        var notice = (await s.WaitForReplyAsync(goalId, "planning model is not available", timeout: TimeSpan.FromSeconds(40))).Single();
        Assert.Contains("nothing was planned", notice.CardText);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(40));
        Assert.True(s.Model.Requests.Count >= 2, "the client retried the 5xx");
        Assert.All(s.Model.Requests, r => Assert.Equal(ModelPurpose.Plan, r.Purpose));

        using (var db = s.Bot.OpenDatabase())
        {
            var run = await db.QuerySingleAsync<(string Status, string Outcome)>("SELECT status, outcome FROM runs");
            Assert.Equal("failed", run.Status);
            Assert.StartsWith("planning failed", run.Outcome);
            var error = await db.QuerySingleAsync<string>("SELECT data_json FROM planning_events WHERE type = 'model.error'");
            Assert.Contains("500", error);
            Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM plan_versions"));
        }

        await s.SendGoalAsync(BotScenario.Alice, "explain");
        await s.Channel.WaitForAsync(c => c.IsPost && c.CardText.Contains("Verdict: planning failure", StringComparison.Ordinal), what: "the explanation");
    }

    [Fact]
    public async Task A_model_call_that_outlasts_the_timeout_fails_the_planning_cleanly()
    {
        await using var s = await ModelScenario.StartAsync(settings: new Dictionary<string, string?> { ["Planner:Timeout"] = "00:00:01" });
        s.Model.Responder = _ => ModelReply.Slow(TimeSpan.FromSeconds(30));

        var goalId = await s.SendGoalAsync(BotScenario.Alice, $"look at {s.Target.Url("/status")}");

        await s.WaitForReplyAsync(goalId, "planning model is not available");
        using var db = s.Bot.OpenDatabase();
        var error = await db.QuerySingleAsync<string>("SELECT data_json FROM planning_events WHERE type = 'model.error'");
        Assert.Contains("timed out after 1 s", error);
        Assert.Equal("failed", await db.QuerySingleAsync<string>("SELECT status FROM runs"));
    }

    /// <summary>Equal properties, types and enums at every level (the wire form also requires every property).</summary>
    private static void AssertSameShape(JsonNode shown, JsonNode sent, string at)
    {
        Assert.True(JsonNode.DeepEquals(shown["type"], sent["type"]), $"type at '{at}'");
        Assert.True(JsonNode.DeepEquals(shown["enum"], sent["enum"]), $"enum at '{at}'");
        var properties = shown["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];
        Assert.Equal(properties, sent["properties"]?.AsObject().Select(p => p.Key).ToList() ?? []);
        foreach (var name in properties)
            AssertSameShape(shown["properties"]![name]!, sent["properties"]![name]!, $"{at}/{name}");
        if (shown["items"] is { } items)
            AssertSameShape(items, sent["items"]!, at + "/items");
    }

    private static void AssertCarriesCatalogueAndSchema(ModelRequest request)
    {
        Assert.Equal(ModelPurpose.Plan, request.Purpose);
        Assert.StartsWith(ModelRequest.PlannerSystemPrompt, request.SystemPrompt);

        // The tool catalogue, with each tool's argument schema, is in the system prompt.
        // It sits inside the <data> fence that follows the "Tools (JSON" heading.
        var tools = request.SystemPrompt[request.SystemPrompt.IndexOf("Tools (JSON", StringComparison.Ordinal)..];
        var start = tools.IndexOf("<data>", StringComparison.Ordinal) + "<data>".Length;
        var catalogue = JsonNode.Parse(tools[start..tools.IndexOf("</data>", StringComparison.Ordinal)])!.AsArray();
        var get = catalogue.OfType<JsonObject>().Single(t => t["name"]!.GetValue<string>() == "http.get");
        Assert.Equal("read_only", get["risk"]!.GetValue<string>());
        Assert.Equal("string", get["argumentSchema"]!["properties"]!["url"]!["type"]!.GetValue<string>());
        Assert.Equal(["url"], get["argumentSchema"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains(catalogue.OfType<JsonObject>(), t => t["name"]!.GetValue<string>() == "http.request");

        // The answer's JSON schema is the response format.
        var format = request.ResponseFormat;
        Assert.NotNull(format);
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        var schema = format["json_schema"]!["schema"]!;
        // Sent in the strict form (every property required); the optional envelope is nullable, so a model may leave it out.
        Assert.Equal(["goal", "steps", "riskLevel", "successCriteria", "envelope"], schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["object", "null"], schema["properties"]!["envelope"]!["type"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["read_only", "write", "high"], schema["properties"]!["riskLevel"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        // The system prompt shows the same schema: the same properties, types and values all the way down.
        var lead = request.SystemPrompt.IndexOf("valid against this JSON schema:", StringComparison.Ordinal);
        Assert.True(lead >= 0, "the system prompt shows the plan's JSON schema");
        var shown = JsonNode.Parse(request.SystemPrompt[(request.SystemPrompt.IndexOf('\n', lead) + 1)..].Split('\n')[0])!;
        AssertSameShape(shown, schema, "");

        Assert.Equal(0, request.Body?["temperature"]?.GetValue<double>());
        Assert.Equal(2000, (request.Body?["max_completion_tokens"] ?? request.Body?["max_tokens"])?.GetValue<int>());
        Assert.False(request.Body?["tools"] is JsonArray { Count: > 0 }, "the planner is never given tools to call");
    }
}
