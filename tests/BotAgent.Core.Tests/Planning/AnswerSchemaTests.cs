using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Intake;
using BotAgent.Core.Planning;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Planning;

/// <summary>
/// Each answer's schema is defined once: the prompt shows the schema the response format sends, and validation
/// rejects an answer that breaks any rule of that same schema with a problem naming the place.
/// </summary>
public sealed class AnswerSchemaTests
{
    private const string SchemaLead = "valid against this JSON schema";

    private static readonly Plan SomePlan = PlanDocument.FromJson(
        """{"goal":"g","steps":[{"id":"s1","title":"t","tool":"http.get","args":{},"risk":"read_only"}],"riskLevel":"read_only","successCriteria":"c"}""");

    /// <summary>A plan answer with every optional part present, so that every rule of the schema has something to break.</summary>
    private const string FullPlan = """
        {"goal":"Check checkout","successCriteria":"It answers","riskLevel":"write",
         "steps":[{"id":"s1","title":"Check health","tool":"http.get","args":{"url":"https://status.example"},"risk":"read_only",
                   "dependsOn":["s0"],
                   "expect":{"status":"2xx","minCount":1,"maxCount":9,"above":0.5,"below":2,"contains":"ok","continueIfUnmet":true}}],
         "envelope":{"tools":["http.get"],"targets":["https://status.example"],"maxRisk":"write","maxExtraSteps":2}}
        """;

    /// <summary>Without a plan: a revision's plan is read as a plan of its own, whose rules the plan cases cover.</summary>
    private const string FullObservation = """{"decision":"continue","reason":"on track"}""";

    public static TheoryData<string, string> Prompts => new()
    {
        { "plan", PlanPrompt.SystemPrompt([], 5) },
        { "observation", PlanPrompt.ObservationRequest(new ObservationRequest("r1", "g", new Member("u1", "Ann"), SomePlan, [], ["s1"], [])) },
        { "summary", PlanPrompt.SummaryRequest(new SummaryRequest("r1", new Member("u1", "Ann"), SomePlan, [], true)) },
    };

    [Theory]
    [MemberData(nameof(Prompts))]
    public void The_prompt_shows_the_schema_the_response_format_sends(string answer, string prompt)
    {
        var schema = Schema(answer);
        var lead = prompt.IndexOf(SchemaLead, StringComparison.Ordinal);
        Assert.True(lead >= 0, "the prompt introduces its schema");
        var line = prompt[(prompt.IndexOf('\n', lead) + 1)..].Split('\n')[0].Trim();

        var shown = JsonNode.Parse(line);
        var sent = JsonSerializer.SerializeToNode(schema.ResponseFormat.Schema);

        Assert.True(JsonNode.DeepEquals(shown, sent), $"shown:\n{shown}\nsent:\n{sent}");
        Assert.Equal(answer, schema.ResponseFormat.SchemaName);
    }

    [Fact]
    public void The_prompt_hash_changes_with_the_schemas_it_shows()
    {
        // The hash covers the schemas as well as the template: a trace's prompt hash tells which schemas the model saw.
        Assert.Contains(AnswerSchemas.Plan.Text, PlanPrompt.SystemPrompt([], 5), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{12}$", PlanPrompt.Hash);
    }

    [Fact]
    public void The_schemas_list_the_enums_wire_names_as_the_plan_document_writes_them()
    {
        var plan = Node(AnswerSchemas.Plan);
        var observation = Node(AnswerSchemas.Observation);
        var summary = Node(AnswerSchemas.Summary);

        var risks = Enum.GetValues<RiskLevel>().Select(r => r.ToWire()).ToList();
        Assert.Equal(risks, Enum.GetValues<RiskLevel>().Select(r => JsonSerializer.Serialize(r).Trim('"')));
        Assert.Equal(risks, Strings(plan["properties"]!["riskLevel"]!["enum"]));
        Assert.Equal(risks, Strings(plan["properties"]!["steps"]!["items"]!["properties"]!["risk"]!["enum"]));
        Assert.Equal([.. risks, null], Strings(plan["properties"]!["envelope"]!["properties"]!["maxRisk"]!["enum"]));
        Assert.Equal(["continue", "revise", "done"], Strings(observation["properties"]!["decision"]!["enum"]));
        Assert.Equal(Enum.GetValues<ObserveDecision>().Select(d => JsonSerializer.Serialize(d).Trim('"')), Strings(observation["properties"]!["decision"]!["enum"]));
        Assert.Equal(Enum.GetValues<GoalStatus>().Select(g => new GoalVerdict(g, "", []).Wire), Strings(summary["properties"]!["verdict"]!["enum"]));
        // The plan a revision carries is the plan schema, only allowed to be null.
        var revised = observation["properties"]!["plan"]!.AsObject().DeepClone().AsObject();
        revised["type"] = "object";
        Assert.True(JsonNode.DeepEquals(plan, revised));
    }

    [Fact]
    public void The_observation_prompt_says_what_each_decision_the_schema_lists_means()
    {
        var prompt = Prompts.Single(p => (string)p[0] == "observation")[1].ToString()!;

        Assert.All(Strings(Node(AnswerSchemas.Observation)["properties"]!["decision"]!["enum"]), d => Assert.Contains($"- \"{d}\": ", prompt, StringComparison.Ordinal));
    }

    [Fact]
    public void The_full_answers_the_rule_cases_start_from_are_valid()
    {
        Assert.NotNull(ModelPlanReader.Read(FullPlan, out var planProblems));
        Assert.Empty(planProblems);
        Assert.NotNull(ModelObservationReader.Read(FullObservation, out var observationProblems));
        Assert.Empty(observationProblems);
    }

    public static TheoryData<string, string, string, string> BrokenRules()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var (rule, answer, place) in Breaks(Node(AnswerSchemas.Plan), JsonNode.Parse(FullPlan)!, []))
            data.Add("plan", rule, answer, place);
        foreach (var (rule, answer, place) in Breaks(Node(AnswerSchemas.Observation), JsonNode.Parse(FullObservation)!, []))
            data.Add("observation", rule, answer, place);
        return data;
    }

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void An_answer_breaking_a_rule_of_its_schema_is_rejected_with_a_problem_naming_the_place(string kind, string rule, string answer, string place)
    {
        IReadOnlyList<string> problems;
        object? read = kind == "plan" ? ModelPlanReader.Read(answer, out problems) : ModelObservationReader.Read(answer, out problems);

        Assert.Null(read);
        var problem = Assert.Single(problems);
        Assert.StartsWith(place + (rule.EndsWith(" required", StringComparison.Ordinal) ? " is required: " : " must be "), problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_text_the_response_format_and_the_validation_all_come_from_the_one_schema()
    {
        var schema = new AnswerSchema("probe", "A probe", """
            { "type": "object", "properties": { "colour": { "type": "string", "enum": ["red", "blue"] } }, "required": ["colour"] }
            """);

        Assert.Equal(["red", "blue"], Strings(Node(schema)["properties"]!["colour"]!["enum"]));
        Assert.Equal(["red", "blue"], Strings(JsonSerializer.SerializeToNode(schema.ResponseFormat.Schema)!["properties"]!["colour"]!["enum"]));
        Assert.Equal(("probe", "A probe"), (schema.ResponseFormat.SchemaName, schema.ResponseFormat.SchemaDescription));
        Assert.Empty(schema.Problems(Canonical(schema, """{"colour":"Blue"}""")));
        Assert.Equal(["'colour' must be one of red, blue (not 'green')."], schema.Problems(Canonical(schema, """{"colour":"green"}""")));
        Assert.Equal(["'colour' is required: one of red, blue."], schema.Problems(Canonical(schema, "{}")));
    }

    public static TheoryData<string, string> UnnamedProperties()
    {
        var data = new TheoryData<string, string>();
        foreach (var answer in Unnamed(Node(AnswerSchemas.Plan), JsonNode.Parse(FullPlan)!, []))
            data.Add("plan", answer);
        foreach (var answer in Unnamed(Node(AnswerSchemas.Observation), JsonNode.Parse(FullObservation)!, []))
            data.Add("observation", answer);
        return data;
    }

    /// <summary>
    /// What the schema does not name is left out, not read and not a problem: strict structured output forbids it
    /// anyway, and a server without it should not cost a repair for a note a model added.
    /// </summary>
    [Theory]
    [MemberData(nameof(UnnamedProperties))]
    public void A_property_the_schema_does_not_name_is_not_read(string kind, string answer)
    {
        if (kind == "plan")
        {
            var plan = ModelPlanReader.Read(answer, out var problems);
            Assert.Empty(problems);
            Assert.Equal(PlanDocument.ToJson(ModelPlanReader.Read(FullPlan, out _)!), PlanDocument.ToJson(plan!));
        }
        else
        {
            var observation = ModelObservationReader.Read(answer, out var problems);
            Assert.Empty(problems);
            Assert.Equal(ModelObservationReader.Read(FullObservation, out _), observation);
        }
    }

    /// <summary>The full answer with a property the schema does not name added to each object in it, one at a time.</summary>
    private static IEnumerable<string> Unnamed(JsonObject schema, JsonNode full, List<string> at)
    {
        var here = Find(full, at);
        if (here is JsonObject && schema["properties"] is JsonObject properties)
        {
            // "targets" on a step most of all: what a step reaches is worked out by the bot, never taken from the model.
            yield return With(full, [.. at, properties.ContainsKey("targets") ? "notes" : "targets"], new JsonArray("https://anywhere.example"));
            foreach (var (name, property) in properties)
            {
                foreach (var answer in Unnamed(property!.AsObject(), full, [.. at, name]))
                    yield return answer;
            }
        }
        if (here is JsonArray && schema["items"] is JsonObject items)
        {
            foreach (var answer in Unnamed(items, full, [.. at, "0"]))
                yield return answer;
        }
    }

    /// <summary>
    /// For every rule in <paramref name="schema"/> (a required property, a type, an enum, a minimum, a pattern), the
    /// answer with that one rule broken, and the place a problem must name.
    /// </summary>
    private static IEnumerable<(string Rule, string Answer, string Place)> Breaks(JsonObject schema, JsonNode full, List<string> at)
    {
        var where = string.Concat(at.Select(s => "/" + s));
        if (Find(full, at) is null)
            yield break;
        if (at.Count > 0)
        {
            if (WrongType(schema) is { } wrong)
                yield return ($"{where} type", With(full, at, wrong), Place(at));
            if (schema["enum"] is not null)
                yield return ($"{where} enum", With(full, at, "not-a-wire-name"), Place(at));
            if (schema["minimum"] is JsonValue minimum)
                yield return ($"{where} minimum", With(full, at, minimum.GetValue<int>() - 1), Place(at));
            if (schema["pattern"] is not null)
                yield return ($"{where} pattern", With(full, at, "   "), Place(at));
        }
        foreach (var name in Strings(schema["required"]))
            yield return ($"{where}/{name} required", Without(full, at, name!), Place([.. at, name!]));
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            foreach (var broken in Breaks(property!.AsObject(), full, [.. at, name]))
                yield return broken;
        }
        if (schema["items"] is JsonObject items)
        {
            // A wrong item of a list of plain values is named by the list.
            foreach (var (rule, answer, place) in Breaks(items, full, [.. at, "0"]))
                yield return (rule, answer, items["type"]?.ToString() == "object" ? place : Place(at));
        }
    }

    /// <summary>How a problem names a place: "'goal'", "step 1: 'args'", "the envelope: 'maxRisk'", "step 1: 'expect.minCount'".</summary>
    private static string Place(IReadOnlyList<string> at)
    {
        var step = at.ToList().FindLastIndex(s => int.TryParse(s, out _));
        if (step >= 0)
            return at.Count == step + 1 ? $"step {int.Parse(at[step]) + 1}" : $"step {int.Parse(at[step]) + 1}: '{string.Join('.', at.Skip(step + 1))}'";
        return at.Count == 1 ? $"'{at[0]}'" : $"the {at[0]}: '{string.Join('.', at.Skip(1))}'";
    }

    /// <summary>A value of a JSON type the schema does not allow.</summary>
    private static JsonNode? WrongType(JsonObject schema)
    {
        var types = schema["type"] is JsonArray list ? Strings(list).ToList() : [schema["type"]?.GetValue<string>()];
        if (!types.Contains("boolean"))
            return true;
        return types.Contains("string") ? 7 : "text";
    }

    private static string With(JsonNode full, List<string> at, JsonNode? value)
    {
        var copy = full.DeepClone();
        var parent = Parent(copy, at);
        if (parent is JsonArray array)
            array[int.Parse(at[^1])] = value;
        else
            parent![at[^1]] = value;
        return copy.ToJsonString();
    }

    private static string Without(JsonNode full, List<string> at, string name)
    {
        var copy = full.DeepClone();
        Find(copy, at)!.AsObject().Remove(name);
        return copy.ToJsonString();
    }

    private static JsonNode? Parent(JsonNode root, List<string> at) => Find(root, at[..^1]);

    private static JsonNode? Find(JsonNode root, List<string> at) =>
        at.Aggregate((JsonNode?)root, (n, s) => n is JsonArray a ? a[int.Parse(s)] : n?[s]);

    private static AnswerSchema Schema(string answer) => answer switch
    {
        "plan" => AnswerSchemas.Plan,
        "observation" => AnswerSchemas.Observation,
        _ => AnswerSchemas.Summary,
    };

    private static JsonObject Canonical(AnswerSchema schema, string answer) => schema.Canonical(JsonDocument.Parse(answer).RootElement);

    private static JsonObject Node(AnswerSchema schema) => JsonNode.Parse(schema.Text)!.AsObject();

    private static IEnumerable<string?> Strings(JsonNode? array) => (array as JsonArray ?? []).Select(n => n?.GetValue<string>());
}
