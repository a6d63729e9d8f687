using System.Text.Json.Nodes;
using Json.Schema;

namespace BotAgent.Testing;

/// <summary>Validates Teams app manifests against the official v1.30 schema (a copy of ../shared/schemas).</summary>
public static class TeamsManifestSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(Load);

    /// <summary>Errors, one per line; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(JsonNode manifest) => SchemaErrors.Of(Schema.Value, manifest);

    public static void AssertValid(JsonNode manifest) =>
        SchemaErrors.Assert(Validate(manifest), "manifest does not validate against teams-manifest-1.30.json", manifest);

    private static JsonSchema Load()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "teams-manifest-1.30.json")))!.AsObject();
        // The schema declares draft-04, which JsonSchema.Net does not evaluate. Every keyword it uses means the
        // same in draft-07 (it has no boolean exclusiveMinimum/exclusiveMaximum and no draft-04 "id"), and its
        // `const` only exists from draft-06 on, so draft-07 is what its authors' validators effectively apply.
        schema["$schema"] = "http://json-schema.org/draft-07/schema#";
        return JsonSchema.FromText(schema.ToJsonString());
    }
}
