namespace BotAgent.Channels.Slack;

/// <summary>
/// An Events API body (<c>url_verification</c> or <c>event_callback</c>), as posted over HTTP or carried
/// in a Socket Mode <c>events_api</c> envelope. Only the fields BotAgent reads.
/// </summary>
internal sealed class SlackEventEnvelope
{
    public string? Type { get; set; }
    public string? Challenge { get; set; }
    public string? TeamId { get; set; }
    public string? ApiAppId { get; set; }
    public string? EventId { get; set; }
    public SlackEvent? Event { get; set; }
    public List<SlackAuthorization>? Authorizations { get; set; }
}

/// <summary>An <c>app_mention</c> or <c>message</c> event, or one the bot welcomes people on (<c>member_joined_channel</c>, <c>app_home_opened</c>).</summary>
internal sealed class SlackEvent
{
    public string? Type { get; set; }
    public string? Subtype { get; set; }
    public string? User { get; set; }
    public string? BotId { get; set; }
    public string? Text { get; set; }
    public string? Ts { get; set; }
    public string? ThreadTs { get; set; }
    public string? Channel { get; set; }
    public string? ChannelType { get; set; }
    public string? Team { get; set; }

    /// <summary>Of <c>app_home_opened</c>: <c>messages</c> or <c>home</c>.</summary>
    public string? Tab { get; set; }
}

/// <summary>Who the event was delivered for: with a bot token, the bot user itself.</summary>
internal sealed class SlackAuthorization
{
    public string? UserId { get; set; }
    public string? TeamId { get; set; }
    public bool IsBot { get; set; }
}
