using BotAgent.Core.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Mcp;

public static class McpServiceCollectionExtensions
{
    /// <summary>
    /// The tools of the MCP servers under <c>Mcp:Servers</c>, as <c>mcp.{server}.{tool}</c>. Safe to call twice
    /// (the host composes it; a test host may too).
    /// </summary>
    public static IServiceCollection AddMcpTools(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(McpToolSource)))
            return services;
        services.AddOptions<McpOptions>().Bind(configuration.GetSection(McpOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<McpOptions>, McpOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SecretRedactor>();
        // SSE responses are long-lived; the executor's step timeout governs each call.
        services.AddHttpClient(McpTransports.HttpClientName).ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<McpTransports>();
        services.AddSingleton<McpToolSource>();
        services.AddSingleton<IToolSource>(sp => sp.GetRequiredService<McpToolSource>());
        services.AddHostedService(sp => sp.GetRequiredService<McpToolSource>());
        return services;
    }
}
