using BotAgent.Channels;
using BotAgent.Channels.BotFramework;
using BotAgent.Channels.DirectLine;
using BotAgent.Chat;
using BotAgent.Channels.Slack;
using BotAgent.Core;
using BotAgent.Core.Approvals;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Policy;
using BotAgent.Core.Reporting;
using BotAgent.Planning;
using BotAgent.Storage;
using BotAgent.Tools;
using BotAgent.Tools.Mcp;
using BotAgent.Traces;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BotAgent;

/// <summary>Composes the bot: configuration, the pipeline, the store, the channels, the endpoints.</summary>
public static class BotAgentApp
{
    public const string DefaultUrl = "http://localhost:3978";

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships next to the binary; relative paths (the SQLite file) resolve against the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddFullBuilderDefaults();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrl);

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<StoreUnavailableHandler>();
        HostNames.AddTo(builder.Services, builder.Configuration);
        builder.Services.AddBotAgentOptions(builder.Configuration);
        builder.Services.AddBotAgentCore();
        builder.Services.AddBotAgentPlanner(builder.Configuration);
        builder.Services.AddBotAgentTelemetry(builder.Configuration);
        builder.Services.AddBotAgentStorage(builder.Configuration);
        builder.Services.AddBotAgentTools(builder.Configuration);
        builder.Services.AddMcpTools(builder.Configuration);
        builder.Services.AddBotFrameworkChannel(builder.Configuration);
        builder.Services.AddDirectLineChannel(builder.Configuration);
        builder.Services.AddTraceViewer(builder.Configuration);
        builder.Services.AddSingleton<Chat.ChatAccess>();
        builder.Services.AddSlackChannel(builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseMiddleware<HostNameFilter>();
        // No scheme is a default: the trace pages ask for theirs (Entra ID sign-in, cookie), /api/messages for the Bot Framework's.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWebSockets();
        app.MapBotFramework();
        app.MapDirectLine();
        app.MapChat();
        app.MapSlack();
        app.MapHealth();
        app.MapTraceViewer();
        return app;
    }

    /// <summary>Applies migrations, starts, and says where to point the Emulator or the Agents Playground.</summary>
    public static async Task StartBotAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await app.Services.GetRequiredService<StoreStartup>().RunAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BotAgent");
        var local = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BotFrameworkOptions>>().Value.IsLocalMode;
        foreach (var address in addresses)
            logger.Listening(address.TrimEnd('/') + BotFrameworkEndpoints.MessagesPath, local ? "local mode, no credentials: point the Bot Framework Emulator or the Agents Playground here" : "authenticated");
        var directLine = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DirectLineOptions>>().Value;
        if (directLine.Enabled)
        {
            foreach (var address in addresses)
                logger.ChatPage(address.TrimEnd('/') + ChatEndpoints.Path, directLine.IsLocalMode ? "local mode: on this machine, pick a name" : "Entra ID sign-in");
        }
        if (local)
            logger.LocalModeWarning();
        var hosts = app.Services.GetRequiredService<HostNames>();
        if (hosts.AnyName)
            logger.AnyHostAllowed();
        else
            logger.AllowedHosts(string.Join(", ", hosts.Allowed));
    }

    public static async Task RunBotAsync(this WebApplication app)
    {
        await app.StartBotAsync();
        await app.WaitForShutdownAsync();
    }

    private static IServiceCollection AddBotAgentOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PlannerOptions>().Bind(configuration.GetSection(PlannerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<PlannerOptions>, PlannerOptionsValidator>();
        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection(PolicyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Core.Limits.LimitOptions>().Bind(configuration.GetSection(Core.Limits.LimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Dictionary<string, RoleOptions>>()
            .Bind(configuration.GetSection(RoleOptions.Section))
            .Validate(roles => roles.Values.All(r => r.IsValid), "Roles: MaxRequestRisk and MaxApproveRisk must be read_only, write or high.")
            .Validate(roles => roles.Values.All(r => r.Members.All(m => ApproverEntry.Problem(m) is null)),
                "Roles:*:Members: an entry names nobody, has a space in it, or is a Slack entry without its user (write teams:<id>, slack:<team>/<user>, email:<address>).")
            .ValidateOnStart();
        services.AddOptions<ApprovalOptions>().Bind(configuration.GetSection(ApprovalOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ExecutionOptions>().Bind(configuration.GetSection(ExecutionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReportingOptions>().Bind(configuration.GetSection(ReportingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
