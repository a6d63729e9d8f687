using System.ComponentModel.DataAnnotations;

namespace BotAgent.Channels.BotFramework;

/// <summary>
/// Configuration section <c>BotFramework</c>. The credential names are the ones Bot Framework users
/// know (<c>MicrosoftAppId</c>, …) and are also read from the configuration root.
/// </summary>
public sealed class BotFrameworkOptions
{
    public const string Section = "BotFramework";

    /// <summary>The bot's Microsoft App ID. Empty: local mode (Emulator, Agents Playground), no authentication.</summary>
    public string? MicrosoftAppId { get; set; }

    /// <summary>Timeout for one Connector call.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ConnectorTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest inbound request body accepted on /api/messages.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    public bool IsLocalMode => string.IsNullOrWhiteSpace(MicrosoftAppId);
}
