using System.Text.Json.Nodes;

namespace BotAgent.Tests.Planning;

/// <summary>Plan JSON as a model would write it, for scripting the test model server.</summary>
public static class ModelPlans
{
    public static JsonObject Step(string id, string title, string tool, JsonObject args, string risk = "read_only", params string[] dependsOn)
    {
        var step = new JsonObject { ["id"] = id, ["title"] = title, ["tool"] = tool, ["args"] = args, ["risk"] = risk };
        if (dependsOn.Length > 0)
            step["dependsOn"] = new JsonArray([.. dependsOn.Select(d => (JsonNode?)JsonValue.Create(d))]);
        return step;
    }

    public static JsonObject Get(string id, string title, string url) => Step(id, title, "http.get", new JsonObject { ["url"] = url });

    public static JsonObject Post(string id, string title, string url, string body) =>
        Step(id, title, "http.request", new JsonObject { ["url"] = url, ["method"] = "POST", ["body"] = body }, "write");

    /// <summary>A plan that proposes an envelope: what revisions may do without asking again.</summary>
    public static string WithEnvelope(string plan, string[] tools, string[] targets, int maxExtraSteps, string maxRisk = "read_only")
    {
        var json = JsonNode.Parse(plan)!.AsObject();
        json["envelope"] = new JsonObject
        {
            ["tools"] = new JsonArray([.. tools.Select(t => (JsonNode?)JsonValue.Create(t))]),
            ["targets"] = new JsonArray([.. targets.Select(t => (JsonNode?)JsonValue.Create(t))]),
            ["maxRisk"] = maxRisk,
            ["maxExtraSteps"] = maxExtraSteps,
        };
        return json.ToJsonString();
    }

    /// <summary>The step with an expectation (<c>{"minCount": 1}</c>, <c>{"status": "2xx"}</c>, …).</summary>
    public static JsonObject Expecting(this JsonObject step, JsonObject expect)
    {
        step["expect"] = expect;
        return step;
    }

    /// <summary>An answer after a step: continue, done, or revise with a plan.</summary>
    public static string Observation(string decision, string reason, string? plan = null) => new JsonObject
    {
        ["decision"] = decision,
        ["reason"] = reason,
        ["plan"] = plan is null ? null : JsonNode.Parse(plan),
    }.ToJsonString();

    /// <summary>A summary with a goal verdict, as the summary request asks for it.</summary>
    public static string Summary(string text, string verdict, string reason, params string[] evidence) => new JsonObject
    {
        ["summary"] = text,
        ["verdict"] = verdict,
        ["reason"] = reason,
        ["evidence"] = new JsonArray([.. evidence.Select(e => (JsonNode?)JsonValue.Create(e))]),
    }.ToJsonString();

    public static string Plan(string goal, string successCriteria, params JsonObject[] steps)
    {
        var risks = steps.Select(s => s["risk"]!.GetValue<string>()).ToList();
        var level = risks.Contains("high") ? "high" : risks.Contains("write") ? "write" : "read_only";
        return new JsonObject
        {
            ["goal"] = goal,
            ["steps"] = new JsonArray([.. steps.Select(s => (JsonNode?)s)]),
            ["riskLevel"] = level,
            ["successCriteria"] = successCriteria,
        }.ToJsonString();
    }
}
