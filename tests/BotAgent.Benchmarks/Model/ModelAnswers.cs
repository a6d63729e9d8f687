using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotAgent.Core.Planning;

namespace BotAgent.Benchmarks.Model;

/// <summary>
/// What the loopback model makes of a request and what it answers: the plan the offline planner would make for
/// <c>check &lt;url&gt;</c> (one read-only <c>http.get</c> of the URL), "continue" after a step, and a summary with a
/// verdict. The kind is read from the answer schema the bot asks for (the bot's own <see cref="AnswerSchemas"/>), or
/// from its prompts when it asks for plain JSON (<c>Planner:StructuredOutput=false</c>).
/// </summary>
internal static partial class ModelAnswers
{
    // The starts of PlanPrompt's plan and summary requests; the observation request's marker is public.
    private const string PlanRequestMarker = "Plan this goal";
    private const string SummaryMarker = "Write the final summary";

    public static ModelCallKind Classify(JsonObject body, IReadOnlyList<(string Role, string Text)> messages)
    {
        var schema = (body["response_format"]?["json_schema"]?["name"] as JsonValue)?.GetValue<string>();
        var last = messages.LastOrDefault(m => m.Role == "user").Text ?? "";
        // A first request is the system prompt and one user message (the summary has no system prompt); a repair
        // adds the model's answer and its problems, so it counts as other.
        var first = messages.Count <= 2;
        if (schema == AnswerSchemas.Summary.ResponseFormat.SchemaName || (schema is null && last.StartsWith(SummaryMarker, StringComparison.Ordinal)))
            return first ? ModelCallKind.Summary : ModelCallKind.Other;
        if (schema == AnswerSchemas.Observation.ResponseFormat.SchemaName || (schema is null && last.Contains(PlanPrompt.ObserveMarker, StringComparison.Ordinal)))
            return first ? ModelCallKind.Observe : ModelCallKind.Other;
        return first && last.StartsWith(PlanRequestMarker, StringComparison.Ordinal) ? ModelCallKind.Plan : ModelCallKind.Other;
    }

    /// <summary>The assistant message for a request of <paramref name="kind"/>; null when the suite has no answer for it.</summary>
    public static string? Answer(ModelCallKind kind, string lastUserMessage) => kind switch
    {
        ModelCallKind.Plan when CheckUrl().Match(lastUserMessage) is { Success: true } match => Plan(match.Groups["url"].Value),
        ModelCallKind.Observe => """{"decision":"continue","reason":"the step answered as expected","plan":null}""",
        ModelCallKind.Summary => """{"summary":"The target answered with a 2xx status [s1].","verdict":"met","reason":"s1 answered 2xx","evidence":["s1"]}""",
        _ => null,
    };

    /// <summary>The suite's goal id in the request's text (<c>?g=</c> in the goal's URL), or null.</summary>
    public static string? GoalId(IReadOnlyList<(string Role, string Text)> messages)
    {
        foreach (var (_, text) in messages)
        {
            if (GoalTag().Match(text) is { Success: true } match)
                return match.Groups["id"].Value;
        }
        return null;
    }

    private static string Plan(string url) => new JsonObject
    {
        ["goal"] = "check " + url,
        ["steps"] = new JsonArray(new JsonObject
        {
            ["id"] = "s1",
            ["title"] = "GET " + url,
            ["tool"] = "http.get",
            ["args"] = new JsonObject { ["url"] = url },
            ["risk"] = "read_only",
            ["dependsOn"] = null,
            ["expect"] = new JsonObject { ["status"] = "2xx" },
        }),
        ["riskLevel"] = "read_only",
        ["successCriteria"] = url + " answers with a 2xx status.",
        ["envelope"] = null,
    }.ToJsonString();

    // The goal's text sits inside <data> on a line of its own: "check http://…/health?g=a01000000042".
    [GeneratedRegex(@"check\s+(?<url>https?://[^\s<]+)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex CheckUrl();

    // Bench.NewTag's three characters and RoundLog's nine digits.
    [GeneratedRegex(@"[?&]g=(?<id>[a-z][0-9]{11})(?![0-9])", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex GoalTag();
}
