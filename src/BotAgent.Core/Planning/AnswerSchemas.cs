using System.Text.Json.Nodes;
using BotAgent.Core.Runs;
using BotAgent.Core.Serialization;

namespace BotAgent.Core.Planning;

/// <summary>
/// The JSON schemas of what the planning model answers: a plan, the answer after a step, the summary. Each is the one
/// definition of its answer's shape: the prompts show it, the structured-output response format sends it, and the
/// readers validate against it. Enum values come from the enums' wire names (<see cref="WireNames"/>).
/// </summary>
public static class AnswerSchemas
{
    /// <summary>A plan: the whole answer to a planning or revision request.</summary>
    public static AnswerSchema Plan { get; } = new("plan", "A BotAgent plan", PlanText(nullable: false));

    /// <summary>The answer after a step: a required decision, its reason, and a plan when revising.</summary>
    public static AnswerSchema Observation { get; } = new("observation", "What to do after a step", $$"""
        {
          "type": "object",
          "properties": {
            "decision": { "type": "string", "enum": {{Enum<ObserveDecision>()}} },
            "reason": { "type": ["string", "null"] },
            "plan": {{PlanText(nullable: true)}}
          },
          "required": ["decision"]
        }
        """);

    /// <summary>The summary: the text, the goal verdict, its reason and its evidence.</summary>
    public static AnswerSchema Summary { get; } = new("summary", "The run's summary and goal verdict", $$"""
        {
          "type": "object",
          "properties": {
            "summary": { "type": "string" },
            "verdict": { "type": "string", "enum": {{Enum<GoalStatus>()}} },
            "reason": { "type": "string" },
            "evidence": { "type": "array", "items": { "type": "string" } }
          },
          "required": ["summary", "verdict", "reason", "evidence"]
        }
        """);

    // Optional parts are nullable rather than only left out of "required": Microsoft.Extensions.AI sends the schema in
    // the strict form OpenAI wants (every property required), so a model writes null for what it does not need instead
    // of inventing a value (an "expect" with maxCount 0 would end a plan that was on track). Readers take null as absent.
    private static string PlanText(bool nullable) => $$"""
        {
          "type": {{(nullable ? """["object", "null"]""" : "\"object\"")}},
          "properties": {
            "goal": { "type": "string", "pattern": {{NonBlank}} },
            "steps": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "id": { "type": "string", "pattern": {{NonBlank}} },
                  "title": { "type": "string", "pattern": {{NonBlank}} },
                  "tool": { "type": "string", "pattern": {{NonBlank}} },
                  "args": { "type": "object" },
                  "risk": { "type": "string", "enum": {{Enum<RiskLevel>()}} },
                  "dependsOn": { "type": ["array", "null"], "items": { "type": "string" } },
                  "expect": {
                    "type": ["object", "null"],
                    "properties": {
                      "status": { "type": ["string", "null"] },
                      "minCount": { "type": ["integer", "null"], "minimum": 0 },
                      "maxCount": { "type": ["integer", "null"], "minimum": 0 },
                      "above": { "type": ["number", "null"] },
                      "below": { "type": ["number", "null"] },
                      "contains": { "type": ["string", "null"] },
                      "continueIfUnmet": { "type": ["boolean", "null"] }
                    }
                  }
                },
                "required": ["id", "title", "tool", "args", "risk"]
              }
            },
            "riskLevel": { "type": "string", "enum": {{Enum<RiskLevel>()}} },
            "successCriteria": { "type": "string", "pattern": {{NonBlank}} },
            "envelope": {
              "type": ["object", "null"],
              "properties": {
                "tools": { "type": ["array", "null"], "items": { "type": "string" } },
                "targets": { "type": ["array", "null"], "items": { "type": "string" } },
                "maxRisk": { "type": ["string", "null"], "enum": {{Enum<RiskLevel>(orNull: true)}} },
                "maxExtraSteps": { "type": ["integer", "null"], "minimum": 0 }
              }
            }
          },
          "required": ["goal", "steps", "riskLevel", "successCriteria"]
        }
        """;

    private static string NonBlank => JsonValue.Create(AnswerSchema.NonBlank).ToJsonString();

    private static string Enum<T>(bool orNull = false) where T : struct, System.Enum =>
        new JsonArray([.. WireNames.Of<T>().Select(n => (JsonNode?)JsonValue.Create(n)), .. orNull ? new JsonNode?[] { null } : []]).ToJsonString();
}
