using BotAgent.Core.Runs;

namespace BotAgent.Core.Tools;

/// <summary>What one call of a tool, with particular arguments, risks (<c>http.request</c> with GET reads; with POST writes).</summary>
public sealed record ToolTraits(RiskLevel Risk, bool Idempotent)
{
    /// <summary>Read-only and idempotent calls may be repeated after a transient failure or a crash.</summary>
    public bool IsRetrySafe => Risk == RiskLevel.ReadOnly || Idempotent;
}
