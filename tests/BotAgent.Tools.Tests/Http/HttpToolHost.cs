using System.Text.Json;
using BotAgent.Core.Tools;
using BotAgent.Tools.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Tools.Tests.Http;

/// <summary>The <c>http.get</c> tool composed the way the host composes it, from configuration.</summary>
internal sealed class HttpToolHost : IDisposable
{
    private readonly ServiceProvider _services;

    private HttpToolHost(ServiceProvider services)
    {
        _services = services;
        Tool = services.GetServices<ITool>().Single(t => t.Descriptor.Name == "http.get");
    }

    public ITool Tool { get; }

    public IServiceProvider Services => _services;

    /// <param name="allowedHosts">Written as <c>Tools:Http:AllowedHosts:0..n</c>.</param>
    /// <param name="settings">Other keys, e.g. <c>Tools:Http:MaxResponseBytes</c>.</param>
    /// <param name="dns">Where the connector looks names up; the machine's resolver when null.</param>
    public static HttpToolHost Create(string[] allowedHosts, IReadOnlyDictionary<string, string?>? settings = null, FakeDns? dns = null)
    {
        var values = new Dictionary<string, string?>();
        for (var i = 0; i < allowedHosts.Length; i++)
            values[$"Tools:Http:AllowedHosts:{i}"] = allowedHosts[i];
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddBotAgentTools(configuration);
        if (dns is not null)
            services.AddSingleton(sp => new GuardedConnector(sp.GetRequiredService<HostPolicy>(), dns.ResolveAsync));
        return new HttpToolHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    /// <summary>The tool's named client: its primary handler is the guarded connector.</summary>
    public HttpClient CreateGuardedClient() =>
        _services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpGetTool.HttpClientName);

    public static JsonElement Args(string url, IReadOnlyDictionary<string, string>? headers = null)
    {
        var args = new Dictionary<string, object> { ["url"] = url };
        if (headers is not null)
            args["headers"] = headers;
        return JsonSerializer.SerializeToElement(args);
    }

    public static ToolCall Call(JsonElement args) => new("run-1", "s1", 1, args, "run-1:s1");

    public Task<ToolOutcome> InvokeAsync(string url, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default) =>
        Tool.InvokeAsync(Call(Args(url, headers)), cancellationToken);

    public void Dispose() => _services.Dispose();
}
