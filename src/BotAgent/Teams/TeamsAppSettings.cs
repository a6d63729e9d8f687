using System.Diagnostics.CodeAnalysis;
using BotAgent.Channels;
using BotAgent.Channels.BotFramework;
using Microsoft.Extensions.Options;

namespace BotAgent.Teams;

/// <summary>What the packed Teams manifest gets from configuration: the bot's id, the Teams app's id and the bot's public host.</summary>
internal sealed record TeamsAppSettings(Guid BotId, Guid AppId, string? Domain)
{
    public const string TeamsAppIdKey = BotFrameworkOptions.Section + ":TeamsAppId";
    public const string PublicBaseUrlKey = BotFrameworkOptions.Section + ":PublicBaseUrl";

    /// <param name="problem">A message naming the setting that is missing or wrong.</param>
    public static bool TryRead(IConfiguration configuration, [NotNullWhen(true)] out TeamsAppSettings? settings, [NotNullWhen(false)] out string? problem)
    {
        settings = null;
        string? microsoftAppId;
        try
        {
            // The bot's own options pipeline, so MicrosoftAppId is found exactly where the bot finds it
            // (the BotFramework section or the root) and settings the bot would refuse are refused here too.
            using var services = new ServiceCollection().AddBotFrameworkChannel(configuration).BuildServiceProvider();
            microsoftAppId = services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value.MicrosoftAppId;
        }
        catch (OptionsValidationException ex)
        {
            problem = ex.Message;
            return false;
        }

        if (string.IsNullOrWhiteSpace(microsoftAppId))
        {
            problem = "pack-manifest needs the bot's Microsoft App ID: set MicrosoftAppId (for example --MicrosoftAppId=<guid>), the Application (client) ID of the Azure Bot's app registration.";
            return false;
        }
        if (!TryParseId(microsoftAppId, out var botId))
        {
            problem = $"MicrosoftAppId must be the GUID of the Azure Bot's app registration; '{microsoftAppId}' is not.";
            return false;
        }

        var appId = botId;
        if (configuration[TeamsAppIdKey] is { Length: > 0 } teamsAppId && !TryParseId(teamsAppId, out appId))
        {
            problem = $"{TeamsAppIdKey} must be a GUID (or unset, to use MicrosoftAppId); '{teamsAppId}' is not.";
            return false;
        }

        string? domain = null;
        if (configuration[PublicBaseUrlKey] is { Length: > 0 } baseUrl)
        {
            // Teams only talks to bots over https, so an http or relative URL here is a mistake worth stopping for.
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                problem = $"{PublicBaseUrlKey} must be the bot's absolute https address (for example https://bot.example.com); '{baseUrl}' is not.";
                return false;
            }
            domain = uri.IdnHost;
        }

        settings = new TeamsAppSettings(botId, appId, domain);
        problem = null;
        return true;
    }

    // The all-zero GUID is the manifest's placeholder: packing it would produce an app Teams cannot reach.
    private static bool TryParseId(string value, out Guid id) => Guid.TryParse(value, out id) && id != Guid.Empty;
}
