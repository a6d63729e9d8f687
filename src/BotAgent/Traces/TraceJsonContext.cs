using System.Text.Json.Serialization;

namespace BotAgent.Traces;

/// <summary>Source-generated JSON for the export: no reflection, and the same shape from the page and the CLI.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunLedgerDocument))]
[JsonSerializable(typeof(string))]
internal sealed partial class TraceJsonContext : JsonSerializerContext;
