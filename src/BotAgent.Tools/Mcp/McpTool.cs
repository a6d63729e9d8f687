using System.Text.Json;
using BotAgent.Core.Tools;
using ModelContextProtocol.Protocol;

namespace BotAgent.Tools.Mcp;

/// <summary><c>mcp.{server}.{tool}</c>: one tool of an MCP server, called through the server's current session.</summary>
internal sealed class McpTool : ITool
{
    private const int MaxDescriptionLength = 1024;
    private readonly McpServerConnection _server;

    public McpTool(McpServerConnection server, Tool tool, McpServerOptions settings)
    {
        _server = server;
        ServerToolName = tool.Name;
        settings.Tools.TryGetValue(tool.Name, out var configured);
        var traits = McpToolRisk.Of(tool.Annotations, configured);
        var description = tool.Description ?? tool.Title ?? tool.Annotations?.Title ?? $"Tool '{tool.Name}' of MCP server '{server.Name}'.";
        Descriptor = new ToolDescriptor(
            McpToolName.Of(server.Name, tool.Name),
            description.Length > MaxDescriptionLength ? description[..MaxDescriptionLength] + "…" : description,
            tool.InputSchema.Clone(),
            traits.Risk,
            traits.Idempotent,
            settings.Timeout,
            PrimaryArgument(tool.InputSchema),
            Targets: [ToolTargets.Mcp(server.Name)]);
    }

    /// <summary>The name the server knows the tool by.</summary>
    public string ServerToolName { get; }

    public ToolDescriptor Descriptor { get; }

    // The server checks its own arguments; the schema has been checked by policy already.
    public IReadOnlyList<string> CheckArguments(JsonElement args) => [];

    // Whatever it is asked, a call reaches this tool's server and what the server reaches is its own business.
    public IReadOnlyList<string> Targets(JsonElement args) => Descriptor.Targets!;

    public Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken) =>
        _server.CallAsync(this, call, cancellationToken);

    /// <summary>The one string argument a typed step's bare words fill: the only required property, or the only property.</summary>
    private static string? PrimaryArgument(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
            return null;
        string? candidate = null;
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array && required.GetArrayLength() == 1)
            candidate = required[0].GetString();
        else if (properties.EnumerateObject().Count() == 1)
            candidate = properties.EnumerateObject().First().Name;
        if (candidate is null || !properties.TryGetProperty(candidate, out var property))
            return null;
        var isString = property.ValueKind == JsonValueKind.Object
            && (!property.TryGetProperty("type", out var type) || (type.ValueKind == JsonValueKind.String && type.GetString() == "string"));
        return isString ? candidate : null;
    }
}
