using BotAgent.Core.Tools;
using BotAgent.Tools.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Tools;

public static class ToolsServiceCollectionExtensions
{
    /// <summary>The built-in tools that configuration enables.</summary>
    public static IServiceCollection AddBotAgentTools(this IServiceCollection services, IConfiguration configuration)
    {
        var http = configuration.GetSection(HttpToolOptions.Section);
        services.AddOptions<HttpToolOptions>().Bind(http).ValidateDataAnnotations().ValidateOnStart();
        if (http.GetValue(nameof(HttpToolOptions.Enabled), true))
        {
            services.AddSingleton<HostPolicy>();
            services.AddSingleton<GuardedConnector>();
            services.AddSingleton<HttpCaller>();
            services.AddHttpClient(HttpCaller.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<GuardedConnector>().CreateHandler())
                .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan); // the executor's step timeout governs
            services.AddSingleton<ITool, HttpGetTool>();
            services.AddSingleton<ITool, HttpRequestTool>();
        }
        return services;
    }
}
