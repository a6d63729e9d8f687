using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;

namespace BotAgent.Tools.Mcp;

/// <summary>Makes a fresh transport for each connection attempt: a started process (stdio) or an HTTP session (streamable HTTP).</summary>
internal sealed class McpTransports(IHttpClientFactory httpClients, ILoggerFactory loggerFactory, IOptions<McpOptions> options)
{
    public const string HttpClientName = "BotAgent.Mcp";

    public IClientTransport Create(string server, McpServerOptions settings, Action<string> standardError)
    {
        if (settings.Url is { } url)
        {
            var http = new HttpClientTransportOptions
            {
                Name = server,
                Endpoint = url,
                TransportMode = HttpTransportMode.StreamableHttp,
                ConnectionTimeout = options.Value.ConnectTimeout,
                AdditionalHeaders = new Dictionary<string, string>(settings.Headers, StringComparer.OrdinalIgnoreCase),
            };
            return new HttpClientTransport(http, httpClients.CreateClient(HttpClientName), loggerFactory, ownsHttpClient: true);
        }

        var environment = settings.DangerouslyInheritEnvironment
            ? new Dictionary<string, string?>(StringComparer.Ordinal)
            : StdioClientTransportOptions.GetDefaultEnvironmentVariables()!;
        foreach (var (name, value) in settings.Env)
            environment[name] = value;
        var stdio = new StdioClientTransportOptions
        {
            Name = server,
            Command = settings.Command!,
            Arguments = [.. settings.Args],
            WorkingDirectory = settings.WorkingDirectory,
            InheritEnvironmentVariables = settings.DangerouslyInheritEnvironment,
            EnvironmentVariables = environment,
            StandardErrorLines = standardError,
            ShutdownTimeout = TimeSpan.FromSeconds(3),
        };
        return new StdioClientTransport(stdio, loggerFactory);
    }
}
