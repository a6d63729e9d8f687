using BotAgent.Core.Tools;
using BotAgent.Tools.Http;
using BotAgent.Tools.Logs;
using BotAgent.Tools.Prometheus;
using BotAgent.Tools.Shell;
using BotAgent.Tools.Sql;
using BotAgent.Tools.Webhook;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools;

public static class ToolsServiceCollectionExtensions
{
    /// <summary>The built-in tools that configuration enables (<c>Tools:{Name}:Enabled</c>), and the redactor their secrets go into.</summary>
    public static IServiceCollection AddBotAgentTools(this IServiceCollection services, IConfiguration configuration)
    {
        // Tools add the secret values they are configured with as they are built; whoever runs tools redacts with it.
        services.TryAddSingleton<SecretRedactor>();
        AddHttp(services, configuration);
        AddLogs(services, configuration);
        AddPrometheus(services, configuration);
        AddSql(services, configuration);
        AddWebhook(services, configuration);
        AddShell(services, configuration);
        return services;
    }

    private static void AddHttp(IServiceCollection services, IConfiguration configuration)
    {
        if (!Bind<HttpToolOptions>(services, configuration, HttpToolOptions.Section, enabledByDefault: true))
            return;
        services.AddSingleton<HostPolicy>();
        services.AddSingleton<GuardedConnector>();
        services.AddSingleton<HttpCaller>();
        services.AddHttpClient(HttpCaller.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<GuardedConnector>().CreateHandler())
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan); // the executor's step timeout governs
        services.AddSingleton<ITool, HttpGetTool>();
        services.AddSingleton<ITool, HttpRequestTool>();
    }

    private static void AddLogs(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<LogsSearchOptions>, LogsSearchOptionsValidator>();
        if (!Bind<LogsSearchOptions>(services, configuration, LogsSearchOptions.Section))
            return;
        services.AddSingleton<LogRoots>();
        services.AddSingleton<ITool, LogsSearchTool>();
    }

    private static void AddPrometheus(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<PrometheusOptions>, PrometheusOptionsValidator>();
        if (!Bind<PrometheusOptions>(services, configuration, PrometheusOptions.Section))
            return;
        // The server is named by an administrator, so no host policy; redirects are not followed, so the
        // configured headers never go anywhere else.
        services.AddHttpClient(PrometheusQueryTool.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = System.Net.DecompressionMethods.All })
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<ITool, PrometheusQueryTool>();
    }

    private static void AddSql(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<SqlOptions>, SqlOptionsValidator>();
        if (Bind<SqlOptions>(services, configuration, SqlOptions.Section))
            services.AddSingleton<ITool, SqlQueryTool>();
    }

    private static void AddWebhook(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        if (!Bind<WebhookOptions>(services, configuration, WebhookOptions.Section))
            return;
        services.AddHttpClient(WebhookPostTool.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new GuardedConnector(WebhookPostTool.HostPolicyFor(sp.GetRequiredService<IOptions<WebhookOptions>>().Value)).CreateHandler())
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<ITool, WebhookPostTool>();
    }

    private static void AddShell(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<ShellOptions>, ShellOptionsValidator>();
        if (!Bind<ShellOptions>(services, configuration, ShellOptions.Section))
            return;
        services.AddSingleton<AllowedExecutables>();
        services.AddSingleton<ITool, ShellRunTool>();
    }

    /// <summary>Binds and validates a tool's section (a disabled tool's settings are checked too); true when the tool is enabled.</summary>
    private static bool Bind<TOptions>(IServiceCollection services, IConfiguration configuration, string section, bool enabledByDefault = false)
        where TOptions : class
    {
        var settings = configuration.GetSection(section);
        services.AddOptions<TOptions>().Bind(settings).ValidateDataAnnotations().ValidateOnStart();
        return settings.GetValue("Enabled", enabledByDefault);
    }
}
