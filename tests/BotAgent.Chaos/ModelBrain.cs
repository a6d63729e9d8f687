using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotAgent.Testing;

namespace BotAgent.Chaos;

/// <summary>
/// The model behind the bot processes that plan with one: it reads the goal the way a model would (the URL, and for a
/// write the Idempotency-Key) and answers plans, "continue" after each step, a revision that reaches a new target when
/// a step failed (so a new plan version goes back to people, and clicks on the old one become stale), and summaries.
/// Injected faults (429 with Retry-After, 500, no answer before the planner's timeout, text that is not JSON) are
/// answered first, in the order they were scheduled.
/// </summary>
internal sealed partial class ModelBrain
{
    public static readonly TimeSpan PlannerTimeout = TimeSpan.FromSeconds(3);

    private readonly ConcurrentQueue<ModelReply> _faults = new();
    private readonly string _fallbackUrl;

    public ModelBrain(TestModelServer server, string fallbackUrl)
    {
        _fallbackUrl = fallbackUrl;
        server.Responder = Answer;
    }

    [GeneratedRegex(@"(?<url>http://127\.0\.0\.1:\d+/\w+)")]
    private static partial Regex Url();

    [GeneratedRegex(@"key-goal-\d+")]
    private static partial Regex WriteKey();

    public static string Describe(int variant) => (variant % 4) switch
    {
        0 => "model 429, Retry-After 1 s",
        1 => "model 500",
        2 => "model unanswered past the planner's timeout",
        _ => "model answers text that is not a plan",
    };

    public int PendingFaults => _faults.Count;

    public void FailNext(int variant) => _faults.Enqueue((variant % 4) switch
    {
        0 => ModelReply.TooManyRequests(TimeSpan.FromSeconds(1)),
        1 => ModelReply.Error(500, "scripted outage"),
        2 => ModelReply.Slow(PlannerTimeout * 2),
        _ => ModelReply.Completion("Sure! Here is what I would do: check the thing, then report back."),
    });

    private ModelReply? Answer(ModelRequest request)
    {
        if (_faults.TryDequeue(out var fault))
            return fault;
        return request.Purpose switch
        {
            ModelPurpose.Plan or ModelPurpose.Repair => ModelReply.Completion(PlanFor(request.LastUserMessage)),
            ModelPurpose.Revision => ModelReply.Completion(Revision()),
            ModelPurpose.Summary => ModelReply.Completion(new JsonObject
            {
                ["summary"] = "The steps ran as shown in the thread.",
                ["verdict"] = "inconclusive",
                ["reason"] = "the harness's model does not judge",
                ["evidence"] = new JsonArray(),
            }.ToJsonString()),
            _ => null, // observe: the server's "continue"
        };
    }

    private string PlanFor(string prompt)
    {
        var url = Url().Match(prompt) is { Success: true } m ? m.Groups["url"].Value : _fallbackUrl;
        var key = WriteKey().Match(prompt);
        var step = url.EndsWith(Actions.WritePath, StringComparison.Ordinal) && key.Success
            ? Step("s1", "Record the chaos write", "http.request", new JsonObject
            {
                ["url"] = url,
                ["method"] = "POST",
                ["headers"] = new JsonObject { ["Idempotency-Key"] = key.Value },
                ["body"] = new JsonObject { ["by"] = "model" },
            }, "write")
            : Step("s1", "GET " + url, "http.get", new JsonObject { ["url"] = url }, "read_only");
        return Plan(step);
    }

    // A new target: outside what was approved, so it goes back to people as plan version 2.
    private string Revision() => Plan(Step("s1", "GET " + _fallbackUrl, "http.get", new JsonObject { ["url"] = _fallbackUrl }, "read_only"));

    private static JsonObject Step(string id, string title, string tool, JsonObject args, string risk) =>
        new() { ["id"] = id, ["title"] = title, ["tool"] = tool, ["args"] = args, ["risk"] = risk };

    private static string Plan(JsonObject step) => new JsonObject
    {
        ["goal"] = step["title"]!.GetValue<string>(),
        ["steps"] = new JsonArray(step),
        ["riskLevel"] = step["risk"]!.GetValue<string>(),
        ["successCriteria"] = "The step succeeds.",
    }.ToJsonString();
}
