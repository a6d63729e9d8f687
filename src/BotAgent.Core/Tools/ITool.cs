using System.Text.Json;

namespace BotAgent.Core.Tools;

/// <summary>A port to something outside the process that a plan step may act on.</summary>
public interface ITool
{
    ToolDescriptor Descriptor { get; }

    /// <summary>
    /// Checks beyond the JSON schema that only the tool can make (host allow-lists, path roots).
    /// Policy calls it at plan time and the executor again before each attempt.
    /// </summary>
    /// <returns>Human-readable reasons the arguments are refused; empty when they are acceptable.</returns>
    IReadOnlyList<string> CheckArguments(JsonElement args);

    Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken);

    /// <summary>
    /// What a call with these arguments reaches, for the approved envelope: <c>http.*</c> the origin
    /// (<c>https://host:port</c>), <c>sql.query</c> <c>sql:{connection}</c>, <c>logs.search</c> <c>logs:{root}</c> for each
    /// root it may read, <c>prometheus.query</c> <c>prometheus:{origin}</c>, <c>shell.run</c> <c>exec:{path}</c>,
    /// <c>webhook.post</c> <c>webhook:{target}</c>, MCP tools <c>mcp:{server}</c>. Empty for a tool that reaches
    /// nothing beyond itself, and for arguments that name nothing it could reach.
    /// </summary>
    IReadOnlyList<string> Targets(JsonElement args) => [];

    /// <summary>The risk and idempotency of a call with these arguments; never lower than <see cref="ToolDescriptor.Risk"/>.</summary>
    ToolTraits Assess(JsonElement args) => new(Descriptor.Risk, Descriptor.Idempotent);
}
