using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using ModelContextProtocol.Protocol;

namespace BotAgent.Tools.Mcp;

/// <summary>
/// The risk of an MCP tool: its annotations read with the protocol's defaults, then configuration on top.
/// Absent hints mean what the MCP specification says they mean: not read-only, destructive, not idempotent.
/// </summary>
internal static class McpToolRisk
{
    public static ToolTraits Of(ToolAnnotations? annotations, McpToolOptions? configured)
    {
        var readOnly = annotations?.ReadOnlyHint ?? false;
        var destructive = annotations?.DestructiveHint ?? true;
        var risk = readOnly ? RiskLevel.ReadOnly : destructive ? RiskLevel.High : RiskLevel.Write;
        if (configured?.Risk is { } setting)
            risk = RiskLevels.Parse(setting);
        // A read-only tool is retry-safe whatever its idempotentHint says (ToolTraits.IsRetrySafe).
        var idempotent = configured?.Idempotent ?? annotations?.IdempotentHint ?? false;
        return new ToolTraits(risk, idempotent);
    }
}
