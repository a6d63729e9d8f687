using BotAgent.Core.Traces;

namespace BotAgent.Traces;

public static class TraceViewerServiceCollectionExtensions
{
    /// <summary>The trace viewer and the export: options, who may look (loopback, tokens, Entra sign-in), the ledger reader, redaction, and the card links' base address.</summary>
    public static IServiceCollection AddTraceViewer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TraceViewerOptions>()
            .Bind(configuration.GetSection(TraceViewerOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.HasUsableToken, "Traces:AccessToken must be at least 16 characters (use a long random value), or empty.")
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<TraceViewerOptions>, TraceViewerOptionsValidator>();
        services.AddSingleton<TraceLoopbackAccess>();
        services.AddSingleton<TraceViewerAccess>();
        services.AddHostedService<TraceAccessNotice>();
        services.AddTraceAuthentication(configuration);
        // Cards link to {BotFramework:PublicBaseUrl}/runs/{id}; the same address pack-manifest puts in the Teams app.
        services.AddOptions<TraceLinkOptions>()
            .Bind(configuration.GetSection("BotFramework"))
            .Validate(
                o => string.IsNullOrWhiteSpace(o.PublicBaseUrl)
                    || (Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)),
                "BotFramework:PublicBaseUrl must be the bot's absolute address, for example https://bot.example.com.")
            .ValidateOnStart();
        services.AddSingleton<RunLedgerReader>();
        services.AddSingleton<TraceRedactor>();
        services.AddSingleton<LedgerExport>();
        services.AddSingleton<TranscriptExport>();
        return services;
    }
}
