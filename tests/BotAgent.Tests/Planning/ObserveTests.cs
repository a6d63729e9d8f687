using System.Text.Json.Nodes;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using BotAgent.Tests.Traces;
using Dapper;

namespace BotAgent.Tests.Planning;

/// <summary>
/// Plan → execute → observe → re-plan when a step succeeds but shows the plan is heading nowhere: the classic
/// "search the logs for 500s: none found → look at the latency metrics instead", inside the envelope people
/// approved; and a model that says the goal is decided after the first of three steps.
/// </summary>
public sealed class ObserveTests : IDisposable
{
    private readonly TempFolder _logs = new("botagent-observe");

    public ObserveTests() => _logs.Write("payments.log",
        "2026-12-06T10:00:01Z GET /pay 200 812ms",
        "2026-12-06T10:00:02Z GET /pay 200 1310ms",
        "2026-12-06T10:00:03Z GET /pay 200 1705ms");

    private string Root => Path.Combine(_logs.Path, "*.log");

    [Fact]
    public async Task A_log_search_with_no_matches_is_revised_to_a_metrics_query_inside_the_envelope_without_a_new_card()
    {
        await using var prometheus = await StartPrometheusAsync("1.7");
        await using var s = await StartAsync(prometheus);
        var logsTarget = "logs:" + Root;
        var promTarget = "prometheus:" + prometheus.BaseUrl;
        var metrics = ModelPlans.Step("s2", "Payment API p99 latency", "prometheus.query", new JsonObject { ["query"] = "histogram_quantile(0.99, rate(pay_seconds_bucket[5m]))" })
            .Expecting(new JsonObject { ["above"] = 1.0 });
        s.Model.Responder = r => r.Purpose switch
        {
            ModelPurpose.Plan => ModelReply.Completion(ModelPlans.WithEnvelope(
                ModelPlans.Plan("Investigate the payment API latency spike", "The likely cause is found with evidence.",
                    ModelPlans.Step("s1", "Search the logs for 500s", "logs.search", new JsonObject { ["pattern"] = " 500 " })),
                ["logs.search", "prometheus.query"], [logsTarget, promTarget], maxExtraSteps: 2)),
            ModelPurpose.Observe when r.LastUserMessage.Contains("[s2]", StringComparison.Ordinal) =>
                ModelReply.Completion(ModelPlans.Observation("done", "p99 latency is 1.7 s: the spike is confirmed")),
            ModelPurpose.Observe => ModelReply.Completion(ModelPlans.Observation("revise", "no 500s in the logs: look at latency instead",
                ModelPlans.Plan("Investigate the payment API latency spike", "The likely cause is found with evidence.", metrics))),
            ModelPurpose.Summary => ModelReply.Completion(ModelPlans.Summary("No errors [s1]; p99 latency 1.7 s [s2].", "met", "p99 latency above 1 s confirms the spike", "s2")),
            _ => null,
        };

        var card = await s.PostGoalAsync(BotScenario.Alice, "Investigate the payment API latency spike");
        Assert.Contains($"using logs.search, prometheus.query on {logsTarget}, {promTarget}", card.Text);
        Assert.Contains("logs.search on " + logsTarget, card.Text);
        await s.ClickAsync(BotScenario.Bob, card, "approve");

        var summary = (await s.WaitForReplyAsync(card.GoalId, "Run succeeded")).Single();
        Assert.Contains("Goal met: p99 latency above 1 s confirms the spike (evidence: s2)", summary.CardText);
        var notice = (await s.WaitForReplyAsync(card.GoalId, "I revised the plan (v2) after step s1")).Single();
        Assert.Contains("so I'm continuing", notice.CardText);
        Assert.Contains("+ added s2: Payment API p99 latency (prometheus.query, read_only) → " + promTarget, notice.CardText);
        Assert.Equal(1, prometheus.HitCount("/api/v1/query"));
        Assert.DoesNotContain(s.Channel.Calls, c => c.IsPost && c.CardText.Contains("Plan awaiting approval", StringComparison.Ordinal) && c.CardText.Contains("Plan: v2", StringComparison.Ordinal));

        // While the model looked at the results the thread showed the bot typing: no message, and never a new card.
        Assert.Contains(s.Channel.Calls, c => c.IsPost && c.Body?["type"]?.GetValue<string>() == "typing");
        Assert.DoesNotContain(s.Channel.Calls, c => c.IsPost && c.CardText.Contains("Looking at the results", StringComparison.Ordinal));

        var observe = s.Model.Requests.First(r => r.Purpose == ModelPurpose.Observe);
        Assert.Contains("[s1] logs.search succeeded", observe.LastUserMessage);
        Assert.Equal("json_schema", observe.ResponseFormat?["type"]?.GetValue<string>());
        Assert.Contains("decision", observe.ResponseFormat!["json_schema"]!["schema"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM approval_decisions"));
        Assert.Equal(("succeeded", 2), await db.QuerySingleAsync<(string, int)>("SELECT status, plan_version FROM runs"));
        Assert.Equal(["prometheus.query"], await db.QueryAsync<string>("SELECT tool FROM step_attempts WHERE plan_version = 2"));
        var measured = JsonNode.Parse(await db.QuerySingleAsync<string>("SELECT measures_json FROM step_attempts WHERE plan_version = 2"))!;
        Assert.Equal(1.7, measured["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_revision_that_adds_a_target_outside_the_envelope_waits_for_approval()
    {
        await using var prometheus = await StartPrometheusAsync("1.7");
        await using var s = await StartAsync(prometheus);
        s.Model.Responder = r => r.Purpose switch
        {
            ModelPurpose.Plan => ModelReply.Completion(ModelPlans.WithEnvelope(
                ModelPlans.Plan("Investigate the payment API latency spike", "The likely cause is found.",
                    ModelPlans.Step("s1", "Search the logs for 500s", "logs.search", new JsonObject { ["pattern"] = " 500 " })),
                ["logs.search", "prometheus.query"], ["logs:" + Root, "prometheus:" + prometheus.BaseUrl], maxExtraSteps: 2)),
            ModelPurpose.Observe => ModelReply.Completion(ModelPlans.Observation("revise", "ask the status page too",
                ModelPlans.Plan("Investigate", "The likely cause is found.", ModelPlans.Get("s2", "Fetch the status page", s.Target.Url("/status"))))),
            _ => null,
        };

        var card = await s.PostGoalAsync(BotScenario.Alice, "Investigate the payment API latency spike");
        await s.ClickAsync(BotScenario.Bob, card, "approve");

        var revised = await s.WaitForPlanCardAsync(card.GoalId, 2);
        Assert.Contains("Plan awaiting approval", revised.Text);
        Assert.Contains($"s2 (http.get) uses http.get, which the approved envelope does not include", revised.Text);
        Assert.Contains($"s2 (http.get) reaches {s.Target.BaseUrl}, which the approved envelope does not include", revised.Text);
        Assert.Equal(0, s.Target.HitCount("/status"));
        using var db = s.Bot.OpenDatabase();
        Assert.Equal(("awaiting_approval", 2), await db.QuerySingleAsync<(string, int)>("SELECT status, plan_version FROM runs"));
    }

    [Fact]
    public async Task A_model_answering_done_after_step_1_of_3_skips_steps_2_and_3_everywhere()
    {
        await using var s = await ModelScenario.StartAsync();
        s.Target.Respond("/a", new TargetResponse(200, "the cause: a full disk"));
        s.Model.Responder = r => r.Purpose switch
        {
            ModelPurpose.Plan => ModelReply.Completion(ModelPlans.Plan("Find the cause", "The cause is named.",
                ModelPlans.Get("s1", "Read A", s.Target.Url("/a")), ModelPlans.Get("s2", "Read B", s.Target.Url("/b")), ModelPlans.Get("s3", "Read C", s.Target.Url("/c")))),
            // A model that takes its time: meanwhile the card says what is going on.
            ModelPurpose.Observe => new ModelReply(200, ModelPlans.Observation("done", "A already names the cause"), Delay: TimeSpan.FromSeconds(4)),
            ModelPurpose.Summary => ModelReply.Completion(ModelPlans.Summary("A full disk [s1].", "met", "s1 names the cause", "s1")),
            _ => null,
        };

        var card = await s.PostGoalAsync(BotScenario.Alice, "Find the cause");
        await s.ClickAsync(BotScenario.Bob, card, "approve");

        // Any update of the card while the model worked (a later one may already have replaced it).
        await s.Channel.WaitForAsync(c => c.IsUpdate && c.Succeeded && c.CardText.Contains("Approved by Bob; running · Looking at the results of step 1…", StringComparison.Ordinal),
            what: "the card saying the model is looking at step 1");
        var summary = (await s.WaitForReplyAsync(card.GoalId, "Run succeeded")).Single();
        Assert.Contains("s2: skipped", summary.CardText);
        Assert.Contains("s3: skipped", summary.CardText);
        var final = CardTexts.Of(await s.WaitForCardAsync(card, "Approved by Bob; succeeded"));
        Assert.Contains("⏭️ 2. Read B", final);
        Assert.Contains("⏭️ 3. Read C", final);
        Assert.Contains("✅ 1. Read A", final);
        Assert.Equal(["/a"], s.Target.Hits.Select(h => h.Path));

        using (var db = s.Bot.OpenDatabase())
        {
            Assert.Equal(["s2", "s3"], await db.QueryAsync<string>("SELECT step_id FROM execution_events WHERE type = 'step.skipped' ORDER BY id"));
            Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM step_attempts"));
            Assert.Equal("stopped early: A already names the cause", await db.QuerySingleAsync<string>("SELECT outcome FROM runs"));
        }
        var runId = card.ButtonData("approve")["runId"]!.GetValue<string>();
        var page = await TracePage.GetAsync(s.Bot, $"/runs/{runId}");
        Assert.Equal(2, page.Count("""<span class="badge skipped">skipped</span>"""));
        var ledger = JsonNode.Parse(await (await s.Bot.GetAsync($"/runs/{runId}.json")).Content.ReadAsStringAsync())!;
        Assert.Equal(["s2", "s3"], ledger["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "step.skipped").Select(e => e!["stepId"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // Planner:ObserveMetLastStep: looked at as before
    public async Task A_last_step_that_met_its_expectation_is_observed_only_when_ObserveMetLastStep_says_so(bool observeMetLastStep)
    {
        await using var s = await ModelScenario.StartAsync(settings: new Dictionary<string, string?> { ["Planner:ObserveMetLastStep"] = observeMetLastStep ? "true" : "false" });
        s.Target.Respond("/a", new TargetResponse(200, "a"));
        s.Target.Respond("/b", new TargetResponse(200, "b"));
        s.Model.Responder = r => r.Purpose switch
        {
            ModelPurpose.Plan => ModelReply.Completion(ModelPlans.Plan("Read both", "Both answer 2xx.",
                ModelPlans.Get("s1", "Read A", s.Target.Url("/a")).Expecting(new JsonObject { ["status"] = "2xx" }),
                ModelPlans.Get("s2", "Read B", s.Target.Url("/b")).Expecting(new JsonObject { ["status"] = "2xx" }))),
            ModelPurpose.Observe => ModelReply.Completion(ModelPlans.Observation("continue", "on track")),
            ModelPurpose.Summary => ModelReply.Completion(ModelPlans.Summary("Both answered [s1] [s2].", "met", "both 2xx", "s1", "s2")),
            _ => null,
        };

        var card = await s.PostGoalAsync(BotScenario.Alice, "Read both");
        await s.ClickAsync(BotScenario.Alice, card, "approve");
        await s.WaitForReplyAsync(card.GoalId, "Run succeeded");

        // By default observed after s1 (s2 was still to come), not after s2: nothing was left to decide but the summary's
        // verdict. With ObserveMetLastStep, after both.
        var observed = s.Model.Requests.Where(r => r.Purpose == ModelPurpose.Observe).ToList();
        Assert.Equal(observeMetLastStep ? 2 : 1, observed.Count);
        Assert.DoesNotContain("[s2]", observed[0].LastUserMessage, StringComparison.Ordinal);
        Assert.Equal([ModelPurpose.Plan, ModelPurpose.Observe, .. observeMetLastStep ? [ModelPurpose.Observe] : Array.Empty<ModelPurpose>(), ModelPurpose.Summary],
            s.Model.Requests.Select(r => r.Purpose));
    }

    private async Task<ModelScenario> StartAsync(TargetServer prometheus) =>
        await ModelScenario.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Tools:Logs:Enabled"] = "true",
            ["Tools:Logs:Roots:0"] = Root,
            ["Tools:Prometheus:Enabled"] = "true",
            ["Tools:Prometheus:BaseUrl"] = prometheus.BaseUrl,
        });

    private static async Task<TargetServer> StartPrometheusAsync(string value)
    {
        var server = await TargetServer.StartAsync();
        server.Respond("/api/v1/query", new TargetResponse(200,
            """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"payments"},"value":[1765015200,"VALUE"]}]}}""".Replace("VALUE", value, StringComparison.Ordinal),
            "application/json"));
        return server;
    }

    public void Dispose() => _logs.Dispose();
}
