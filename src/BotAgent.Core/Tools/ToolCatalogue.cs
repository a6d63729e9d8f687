namespace BotAgent.Core.Tools;

/// <summary>The enabled tools, by name. Built once at start from every registered <see cref="ITool"/>.</summary>
public sealed class ToolCatalogue
{
    private readonly Dictionary<string, ITool> _tools;

    public ToolCatalogue(IEnumerable<ITool> tools)
    {
        _tools = new Dictionary<string, ITool>(StringComparer.OrdinalIgnoreCase);
        foreach (var tool in tools)
        {
            if (!_tools.TryAdd(tool.Descriptor.Name, tool))
                throw new InvalidOperationException($"Two tools are registered as '{tool.Descriptor.Name}'.");
        }
    }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ITool? tool) =>
        _tools.TryGetValue(name, out tool);

    public IReadOnlyList<ToolDescriptor> Descriptors =>
        [.. _tools.Values.Select(t => t.Descriptor).OrderBy(d => d.Name, StringComparer.Ordinal)];
}
