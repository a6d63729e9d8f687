using System.Text.Json;
using BotAgent.Core.Tools;
using BotAgent.Tools.Mcp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BotAgent.Tools.Tests.Mcp;

/// <summary>The MCP tool source composed the way the host composes it, started, with a catalogue over it.</summary>
internal sealed class McpToolHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hosted;

    private McpToolHost(ServiceProvider services)
    {
        _services = services;
        _hosted = [.. services.GetServices<IHostedService>()];
        Catalogue = new ToolCatalogue([], services.GetServices<IToolSource>());
    }

    public ToolCatalogue Catalogue { get; }

    public IServiceProvider Services => _services;

    /// <summary>Short reconnect delays; other keys from <paramref name="settings"/>.</summary>
    public static async Task<McpToolHost> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Mcp:ReconnectDelay"] = "00:00:00.050",
            ["Mcp:MaxReconnectDelay"] = "00:00:00.500",
            ["Mcp:StartupWait"] = "00:00:30",
        };
        foreach (var (key, value) in settings)
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMcpTools(configuration);
        var host = new McpToolHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        foreach (var hosted in host._hosted)
            await hosted.StartAsync(CancellationToken.None);
        return host;
    }

    public ITool Tool(string name) =>
        Catalogue.TryGet(name, out var tool) ? tool : throw new InvalidOperationException($"No tool '{name}'; the catalogue has {string.Join(", ", Catalogue.Descriptors.Select(d => d.Name))}.");

    public Task<ToolOutcome> CallAsync(string name, object? args = null, string idempotencyKey = "run-1:1:s1") =>
        Tool(name).InvokeAsync(new ToolCall("run-1", "s1", 1, JsonSerializer.SerializeToElement(args ?? new { }), idempotencyKey), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in _hosted.Reverse())
            await hosted.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}
