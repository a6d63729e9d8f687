using System.Diagnostics.CodeAnalysis;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Mcp;

/// <summary>
/// The tools of the configured MCP servers. At start it connects to every server, waiting at most
/// <see cref="McpOptions.StartupWait"/> so a server that is down cannot hold the bot up; each server then stays
/// connected in the background. A tool of a server that is down is answered for with the reason it is unavailable.
/// </summary>
internal sealed class McpToolSource : IToolSource, IHostedService, IDisposable
{
    private readonly McpOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<McpToolSource> _logger;
    private readonly Dictionary<string, McpServerConnection> _servers;
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _loops = [];
    private int _disposed;

    public McpToolSource(IOptions<McpOptions> options, McpTransports transports, TimeProvider time, ILoggerFactory loggerFactory, SecretRedactor secrets)
    {
        _options = options.Value;
        // A server that echoes its credentials back (or a tool that prints its environment) shows "[redacted]".
        foreach (var server in _options.Servers.Values)
        {
            secrets.AddRange(Http.HeaderSecrets.Of(server.Headers.Values));
            secrets.AddRange(EnvironmentSecrets.Of(server.Env));
        }
        _time = time;
        _logger = loggerFactory.CreateLogger<McpToolSource>();
        _servers = _options.Servers
            .Where(s => s.Value.Enabled)
            .ToDictionary(s => s.Key, s => new McpServerConnection(s.Key, _options, transports, time, loggerFactory), StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<ITool> Tools =>
        [.. _servers.Values.Select(s => s.State).Where(s => s.OffersTools).SelectMany(s => s.Tools.Values)];

    public bool TryGet(string name, [NotNullWhen(true)] out ITool? tool)
    {
        tool = null;
        if (!McpToolName.TryParse(name, out var serverName, out var toolName) || !_servers.TryGetValue(serverName, out var server))
            return false;
        var state = server.State;
        state.Tools.TryGetValue(name, out var known);
        if (state.OffersTools)
        {
            tool = known;
            return tool is not null;
        }
        if (server.IsDisabled(toolName))
            return false;
        tool = new UnavailableMcpTool(McpToolName.Of(server.Name, toolName), server.Name, state.Reason ?? "unknown", known?.Descriptor, server.Timeout);
        return true;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _loops = [.. _servers.Values.Select(s => Task.Run(() => s.RunAsync(_stopping.Token), CancellationToken.None))];
        try
        {
            await Task.WhenAll(_servers.Values.Select(s => s.FirstAttempt)).WaitAsync(_options.StartupWait, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            var waiting = _servers.Values.Where(s => !s.FirstAttempt.IsCompleted).Select(s => s.Name);
            _logger.McpStillConnecting((long)_options.StartupWait.TotalMilliseconds, string.Join(", ", waiting));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(cancellationToken);
    }

    // Resolved as itself, as IToolSource and as IHostedService: the container disposes it once for each.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
