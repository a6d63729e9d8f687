using BotAgent.Core.Intake;
using BotAgent.Core.Reporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// The Slack adapter, when any of its settings are present: <c>Slack:BotToken</c> with a
    /// <c>Slack:SigningSecret</c> (HTTP mode) and/or a <c>Slack:AppToken</c> (Socket Mode). A partial
    /// setup fails at start with a message naming the missing key.
    /// </summary>
    public static IServiceCollection AddSlackChannel(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SlackOptions.Section);
        if (!new[] { "BotToken", "SigningSecret", "AppToken" }.Any(key => !string.IsNullOrWhiteSpace(section[key])))
            return services;

        services.AddOptions<SlackOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.BotToken),
                "Slack:BotToken (xoxb-…) is required when Slack:SigningSecret or Slack:AppToken is set.")
            .Validate(o => o.IsHttpMode || o.IsSocketMode,
                "Slack:BotToken is set but neither Slack:SigningSecret (HTTP mode) nor Slack:AppToken (Socket Mode) is.")
            .Validate(o => !o.IsSocketMode || o.AppToken!.StartsWith("xapp-", StringComparison.Ordinal),
                "Slack:AppToken must be an app-level token (xapp-…, scope connections:write), not a bot token.")
            .ValidateOnStart();

        services.AddHttpClient(SlackWebApiClient.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<SlackOptions>>().Value.ApiTimeout)
            // Header values (the Bearer token) never reach the logs, at any level.
            .RedactLoggedHeaders(_ => true);
        services.AddSingleton<SlackWebApiClient>();
        services.AddSingleton<SlackUserDirectory>();
        services.AddSingleton<SlackIntake>();
        services.AddSingleton<SlackClickHandler>();
        services.AddSingleton<IInboundHandler, SlackInboundHandler>();
        services.AddSingleton<IChannelSender, SlackSender>();
        if (!string.IsNullOrWhiteSpace(section["AppToken"]))
            services.AddHostedService<SlackSocketModeService>();
        return services;
    }
}
