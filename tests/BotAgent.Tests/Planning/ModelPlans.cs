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
