using System.ClientModel;
using System.Runtime.CompilerServices;
using Azure.AI.OpenAI;
using Azure.Identity;
using BotAgent.Core.Planning;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenAI;

namespace BotAgent.Planning;

public static class PlannerServiceCollectionExtensions
{
    public const string TelemetrySource = "BotAgent.Planning";

    /// <summary>
    /// The LLM planner when <c>Planner:Provider</c> names a model provider: an <see cref="IChatClient"/>
    /// over Azure OpenAI or an OpenAI-compatible server, with Microsoft.Extensions.AI's logging and
    /// OpenTelemetry middleware. With <c>Offline</c> (the default) nothing changes.
    /// </summary>
    public static IServiceCollection AddBotAgentPlanner(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AzureOpenAIOptions>().Bind(configuration.GetSection(AzureOpenAIOptions.Section));
        services.AddOptions<OpenAIOptions>().Bind(configuration.GetSection(OpenAIOptions.Section));
        var provider = configuration[$"{PlannerOptions.Section}:{nameof(PlannerOptions.Provider)}"] ?? "Offline";
        if (provider.Equals("Offline", StringComparison.OrdinalIgnoreCase))
            return services;
        AddModelPlanner(services, configuration, provider);
        return services;
    }

    // Its own method: compiling it loads Microsoft.Extensions.AI and the OpenAI clients, which the offline planner never needs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddModelPlanner(IServiceCollection services, IConfiguration configuration, string provider)
    {
        var timeout = configuration.GetSection(PlannerOptions.Section).Get<PlannerOptions>()?.Timeout ?? new PlannerOptions().Timeout;
        var (client, model) = provider.ToUpperInvariant() switch
        {
            "AZUREOPENAI" => AzureOpenAI(configuration.GetSection(AzureOpenAIOptions.Section).Get<AzureOpenAIOptions>() ?? new(), timeout),
            "OPENAI" => OpenAI(configuration.GetSection(OpenAIOptions.Section).Get<OpenAIOptions>() ?? new(), timeout),
            _ => throw new InvalidOperationException($"Planner:Provider '{provider}' is not one of Offline, AzureOpenAI, OpenAI."),
        };

        services.AddSingleton(model);
        services.AddSingleton(sp => new ChatClientBuilder(client)
            .UseLogging(sp.GetRequiredService<ILoggerFactory>())
            .UseOpenTelemetry(sp.GetRequiredService<ILoggerFactory>(), TelemetrySource)
            .Build(sp));
        services.Replace(ServiceDescriptor.Singleton<IPlanner, LlmPlanner>());
    }

    private static (IChatClient, PlannerModel) AzureOpenAI(AzureOpenAIOptions options, TimeSpan timeout)
    {
        var endpoint = Required(options.Endpoint, "AzureOpenAI:Endpoint");
        var deployment = Required(options.Deployment, "AzureOpenAI:Deployment");
        var clientOptions = new AzureOpenAIClientOptions { NetworkTimeout = timeout };
        var azure = string.IsNullOrEmpty(options.ApiKey)
            ? new AzureOpenAIClient(new Uri(endpoint), new DefaultAzureCredential(), clientOptions)
            : new AzureOpenAIClient(new Uri(endpoint), new ApiKeyCredential(options.ApiKey), clientOptions);
        return (azure.GetChatClient(deployment).AsIChatClient(), new PlannerModel("AzureOpenAI", deployment));
    }

    private static (IChatClient, PlannerModel) OpenAI(OpenAIOptions options, TimeSpan timeout)
    {
        var model = Required(options.Model, "OpenAI:Model");
        var clientOptions = new OpenAIClientOptions { NetworkTimeout = timeout };
        if (!string.IsNullOrEmpty(options.BaseUrl))
            clientOptions.Endpoint = new Uri(options.BaseUrl);
        // Local servers (Ollama, LM Studio) need no key, but the client insists on one.
        var openai = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "not-needed" : options.ApiKey), clientOptions);
        return (openai.GetChatClient(model).AsIChatClient(), new PlannerModel("OpenAI", model));
    }

    private static string Required(string? value, string key) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"{key} is required when Planner:Provider selects it.") : value;
}
