using BotAgent.Channels.BotFramework;
using BotAgent.Channels.BotFramework.Authentication;
using BotAgent.Channels.DirectLine;
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
            .Configure(o =>
            {
                // The names Bot Framework users know, at the configuration root, as the SDKs read them.
                o.MicrosoftAppId ??= configuration["MicrosoftAppId"];
                o.MicrosoftAppPassword ??= configuration["MicrosoftAppPassword"];
                o.MicrosoftAppTenantId ??= configuration["MicrosoftAppTenantId"];
                if (configuration["MicrosoftAppType"] is { Length: > 0 } type && configuration[$"{BotFrameworkOptions.Section}:MicrosoftAppType"] is null)
                    o.MicrosoftAppType = type;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<BotTokenProvider>();
        services.AddSingleton<BotTokenValidator>();
        // Never a default scheme, even when it is the only one: ASP.NET Core would otherwise authenticate every request
        // with it (a local-mode caller would be "signed in" on the trace pages). Only /api/messages asks for it. The
        // switch is ASP.NET Core's documented way to turn the single-scheme default off (AuthenticationOptions reads it).
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BotFrameworkAuthenticationHandler>(
            BotFrameworkAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(BotFrameworkAuthenticationHandler.Policy, policy => policy
            .AddAuthenticationSchemes(BotFrameworkAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
        services.AddTransient<ConnectorAuthHandler>();
        services.AddHttpClient(BotTokenProvider.HttpClientName);
        services.AddHttpClient(BotTokenValidator.HttpClientName);
        services.AddHttpClient(ConnectorClient.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
                client.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<BotFrameworkOptions>>().Value.ConnectorTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp =>
                ConnectorClient.CreateHandler(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<BotFrameworkOptions>>().Value.EffectiveConnectTimeout))
            .AddHttpMessageHandler<ConnectorAuthHandler>();
        services.AddSingleton<ConnectorClient>();
        services.AddSingleton<CardClickHandler>();
        services.AddSingleton<BotFrameworkIntake>();
        services.AddSingleton<TeamsStreamer>();
        services.AddSingleton<BotFrameworkInboundHandler>();
        services.AddSingleton<IInboundHandler>(sp => sp.GetRequiredService<BotFrameworkInboundHandler>());
        services.AddSingleton<IChannelSender, BotFrameworkSender>();
        return services;
    }

    /// <summary>
    /// The bot's own Direct Line 3.0 endpoint (<c>/v3/directline</c>), which Web Chat and other Direct Line clients talk
    /// to; its messages are answered into each conversation's log. Needs the Bot Framework channel (same activities).
    /// </summary>
    public static IServiceCollection AddDirectLineChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectLineOptions>()
            .Bind(configuration.GetSection(DirectLineOptions.Section))
            .Configure(o =>
            {
                o.PublicBaseUrl ??= configuration["BotFramework:PublicBaseUrl"];
                // Unset: on where it cannot be reached unauthenticated from elsewhere by surprise, that is with a secret,
                // or on a developer's machine (Bot Framework in local mode too). A production bot (a MicrosoftAppId)
                // without a secret would otherwise serve a Direct Line whose callers on the host are trusted as anyone.
                if (configuration[$"{DirectLineOptions.Section}:Enabled"] is not { Length: > 0 })
                {
                    var appId = configuration[$"{BotFrameworkOptions.Section}:MicrosoftAppId"] ?? configuration["MicrosoftAppId"];
                    o.Enabled = !o.IsLocalMode || string.IsNullOrWhiteSpace(appId);
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<DirectLineTokens>();
        services.AddSingleton<DirectLineFeed>();
        services.AddSingleton<DirectLineLimits>();
        services.AddSingleton<DirectLineIntake>();
        services.AddSingleton<DirectLineViews>();
        services.AddSingleton<IInboundHandler, DirectLineInboundHandler>();
        services.AddSingleton<IChannelSender, DirectLineSender>();
        return services;
    }
}
