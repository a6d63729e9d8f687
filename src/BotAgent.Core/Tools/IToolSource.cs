using System.Diagnostics.CodeAnalysis;

namespace BotAgent.Core.Tools;

/// <summary>
/// A port to tools found at run time rather than registered at start (the tools of MCP servers).
/// <see cref="ToolCatalogue"/> asks every source each time, so what a source offers may change while the bot runs.
/// </summary>
public interface IToolSource
{
    /// <summary>The tools this source offers now: the planner and <c>help</c> see these.</summary>
    IReadOnlyList<ITool> Tools { get; }

    /// <summary>
    /// The tool called <paramref name="name"/> if this source answers for it. A source may answer for a tool it
    /// cannot offer now (its server is down) with a tool that refuses its arguments and every call, saying why.
    /// </summary>
    bool TryGet(string name, [NotNullWhen(true)] out ITool? tool);
}
