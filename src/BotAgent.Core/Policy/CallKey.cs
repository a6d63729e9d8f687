using System.Text;
using System.Text.Json;
using BotAgent.Core.Planning;

namespace BotAgent.Core.Policy;

/// <summary>
/// One spelling of "this tool with these arguments", so a step of a revision can be recognised as a call people
/// already approved whatever whitespace the planner or the store put in its JSON.
/// </summary>
public static class CallKey
{
    public static string Of(PlanStep step) => Of(step.Tool, step.Args);

    public static string Of(string tool, JsonElement args)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (args.ValueKind == JsonValueKind.Undefined)
                writer.WriteNullValue();
            else
                args.WriteTo(writer);
        }
        return tool.ToLowerInvariant() + " " + Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The key of a recorded attempt (its arguments as stored).</summary>
    public static string Of(string tool, string argsJson)
    {
        try
        {
            using var document = JsonDocument.Parse(argsJson);
            return Of(tool, document.RootElement);
        }
        catch (JsonException)
        {
            return tool.ToLowerInvariant() + " " + argsJson;
        }
    }
}
