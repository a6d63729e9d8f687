namespace BotAgent.Core.Tools;

/// <summary>
/// The enabled tools, by name: every registered <see cref="ITool"/>, built once at start, then whatever each
/// <see cref="IToolSource"/> offers at the moment of asking. A registered tool wins over a source's tool of the same name.
/// </summary>
public sealed class ToolCatalogue
{
    private readonly Dictionary<string, ITool> _tools;
    private readonly IToolSource[] _sources;

    public ToolCatalogue(IEnumerable<ITool> tools, IEnumerable<IToolSource>? sources = null)
    {
        _tools = new Dictionary<string, ITool>(StringComparer.OrdinalIgnoreCase);
        foreach (var tool in tools)
        {
            if (!_tools.TryAdd(tool.Descriptor.Name, tool))
                throw new InvalidOperationException($"Two tools are registered as '{tool.Descriptor.Name}'.");
        }
        _sources = [.. sources ?? []];
    }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ITool? tool)
    {
        if (_tools.TryGetValue(name, out tool))
            return true;
        foreach (var source in _sources)
        {
            if (source.TryGet(name, out tool))
                return true;
        }
        return false;
    }

    public IReadOnlyList<ToolDescriptor> Descriptors =>
        [.. _tools.Values.Concat(_sources.SelectMany(s => s.Tools))
            .Select(t => t.Descriptor)
            .DistinctBy(d => d.Name, StringComparer.OrdinalIgnoreCase)
            .OrderBy(d => d.Name, StringComparer.Ordinal)];
}
