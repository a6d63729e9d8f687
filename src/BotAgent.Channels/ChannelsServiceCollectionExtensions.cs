using BotAgent.Channels.BotFramework;
using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotAgent.Channels;

public static class ChannelsServiceCollectionExtensions
{
    /// <summary>The Bot Framework adapter: inbound handler, Connector client and card sender.</summary>
    public static IServiceCollection AddBotFrameworkChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotFrameworkOptions>()
            .Bind(configuration.GetSection(BotFrameworkOptions.Section))
            .Configure(o => o.MicrosoftAppId ??= configuration["MicrosoftAppId"])
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddHttpClient(ConnectorClient.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
                client.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<BotFrameworkOptions>>().Value.ConnectorTimeout);
        services.AddSingleton<ConnectorClient>();
        services.AddSingleton<CardClickHandler>();
        services.AddSingleton<IInboundHandler, BotFrameworkInboundHandler>();
        services.AddSingleton<IChannelSender, BotFrameworkSender>();
        return services;
    }
}
