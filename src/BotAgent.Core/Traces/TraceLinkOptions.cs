namespace BotAgent.Core.Traces;

/// <summary>
/// Where people open a run's trace page from a card: <c>BotFramework:PublicBaseUrl</c> (the bot's public
/// address, also used by pack-manifest). Unset: cards carry no link.
/// </summary>
public sealed class TraceLinkOptions
{
    /// <summary>The bot's public base address, e.g. <c>https://bot.example.com</c>.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The run's page, or null when no public address is configured.</summary>
    public string? RunUrl(string runId) =>
        string.IsNullOrWhiteSpace(PublicBaseUrl) ? null : $"{PublicBaseUrl.TrimEnd('/')}/runs/{Uri.EscapeDataString(runId)}";
}
