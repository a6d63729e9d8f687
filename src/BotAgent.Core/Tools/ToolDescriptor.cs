using System.Text.Json;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tools;

/// <summary>What the planner and policy know about a tool. The planner sees this, never the implementation.</summary>
/// <param name="Name">Dotted name used in plans, e.g. <c>http.get</c>.</param>
/// <param name="ArgumentSchema">JSON Schema (an object schema) for the step's <c>args</c>.</param>
/// <param name="Risk">The least risk any call of this tool carries.</param>
/// <param name="Idempotent">Calling twice with the same arguments has the effect of calling once: safe to retry.</param>
/// <param name="DefaultTimeout">Per-attempt timeout unless configuration says otherwise.</param>
/// <param name="Targets">Every target this tool can reach, where configuration fixes them (a server, connections, roots); null where the arguments decide (any URL's origin).</param>
/// <param name="PrimaryArgument">The argument a typed step's first word fills (<c>1. http.get https://…</c> fills <c>url</c>).</param>
public sealed record ToolDescriptor(
    string Name,
    string Description,
    JsonElement ArgumentSchema,
    RiskLevel Risk,
    bool Idempotent,
    TimeSpan DefaultTimeout,
    string? PrimaryArgument = null,
    IReadOnlyList<string>? Targets = null)
{
    /// <summary>Read-only and idempotent tools may be retried after a transient failure.</summary>
    public bool IsRetrySafe => Risk == RiskLevel.ReadOnly || Idempotent;
}
