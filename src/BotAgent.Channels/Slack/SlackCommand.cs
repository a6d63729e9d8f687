using Microsoft.Extensions.Primitives;

namespace BotAgent.Channels.Slack;

/// <summary>
/// A slash command (<c>/botagent …</c>) as Slack sends it: a form over HTTP, a JSON payload in Socket Mode. Only the
/// fields BotAgent reads; the deprecated verification token and the <c>response_url</c> (a short-lived credential to
/// post as the app) are not kept.
/// </summary>
internal sealed class SlackCommand
{
    /// <summary>What the inbox stores a command under, so its handler tells it from events and clicks.</summary>
    public const string StoredType = "slash_command";

    public string? Type { get; set; }
    public string? Command { get; set; }
    public string? Text { get; set; }
    public string? UserId { get; set; }
    public string? UserName { get; set; }
    public string? TeamId { get; set; }
    public string? ChannelId { get; set; }
    public string? ChannelName { get; set; }
    public string? TriggerId { get; set; }

    public static SlackCommand FromForm(IReadOnlyDictionary<string, StringValues> form) => new()
    {
        Command = Field(form, "command"),
        Text = Field(form, "text"),
        UserId = Field(form, "user_id"),
        UserName = Field(form, "user_name"),
        TeamId = Field(form, "team_id"),
        ChannelId = Field(form, "channel_id"),
        ChannelName = Field(form, "channel_name"),
        TriggerId = Field(form, "trigger_id"),
    };

    /// <summary>Why this is not a command the bot can take (for a 400), or null.</summary>
    public string? Problem() =>
        string.IsNullOrEmpty(Command) ? "The form has no command field."
        : string.IsNullOrEmpty(UserId) ? "The form has no user_id field."
        : string.IsNullOrEmpty(ChannelId) ? "The form has no channel_id field."
        : string.IsNullOrEmpty(TriggerId) ? "The form has no trigger_id field."
        : null;

    /// <summary>Only what is kept (the trigger id keys the inbox item, hashed), marked as a command.</summary>
    public SlackCommand ToStored() => new()
    {
        Type = StoredType,
        Command = Command,
        Text = Text,
        UserId = UserId,
        UserName = UserName,
        TeamId = TeamId,
        ChannelId = ChannelId,
        ChannelName = ChannelName,
    };

    private static string? Field(IReadOnlyDictionary<string, StringValues> form, string name) =>
        form.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
