using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace BotAgent.Testing;

/// <summary>
/// Builds what Slack sends a bot: Events API bodies (mentions, direct messages, URL verification) and
/// <c>block_actions</c> clicks, signed with the app's signing secret (v0 HMAC-SHA256, computed here
/// independently of the bot's own code), or forged.
/// </summary>
public sealed class SlackRequests(string signingSecret, string botUserId = TestSlackServer.BotUserId, string teamId = TestSlackServer.TeamId)
{
    public const string AppId = "A0BOTAGENT";
    private int _sequence;

    public string BotUserId => botUserId;

    /// <summary>An <c>app_mention</c>: <paramref name="text"/> as Slack writes it, after the bot's mention (links as <c>&lt;https://…&gt;</c>).</summary>
    public JsonObject Mention(string user, string channel, string text, string? threadTs = null, string? eventId = null)
    {
        var ts = NextTs();
        var mention = new JsonObject
        {
            ["type"] = "app_mention",
            ["user"] = user,
            ["text"] = $"<@{botUserId}> {text}",
            ["ts"] = ts,
            ["channel"] = channel,
            ["event_ts"] = ts,
        };
        if (threadTs is not null)
            mention["thread_ts"] = threadTs;
        return EventCallback(mention, eventId);
    }

    /// <summary>A <c>message</c> in a direct conversation with the bot (<c>channel_type: im</c>).</summary>
    public JsonObject DirectMessage(string user, string channel, string text, string? eventId = null) =>
        EventCallback(new JsonObject
        {
            ["type"] = "message",
            ["channel_type"] = "im",
            ["user"] = user,
            ["text"] = text,
            ["ts"] = NextTs(),
            ["channel"] = channel,
        }, eventId);

    /// <summary>Wraps an event as Slack delivers it, with a fresh <c>event_id</c> unless one is given.</summary>
    public JsonObject EventCallback(JsonObject @event, string? eventId = null) => new()
    {
        ["token"] = "legacy-verification-token",
        ["team_id"] = teamId,
        ["api_app_id"] = AppId,
        ["event"] = @event,
        ["type"] = "event_callback",
        ["event_id"] = eventId ?? "Ev" + Interlocked.Increment(ref _sequence).ToString("D8", CultureInfo.InvariantCulture),
        ["event_time"] = 1764064800,
        ["authorizations"] = new JsonArray(new JsonObject { ["enterprise_id"] = null, ["team_id"] = teamId, ["user_id"] = botUserId, ["is_bot"] = true }),
    };

    public static JsonObject UrlVerification(string challenge) =>
        new() { ["token"] = "legacy-verification-token", ["challenge"] = challenge, ["type"] = "url_verification" };

    /// <summary>A click on the button <paramref name="actionId"/> of <paramref name="message"/>, as <c>block_actions</c>.</summary>
    public JsonObject Click(string user, SlackPostedMessage message, string actionId, string? value = null)
    {
        var button = message.Button(actionId);
        var actionTs = NextTs();
        return new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user, ["username"] = user.ToLowerInvariant(), ["name"] = user.ToLowerInvariant(), ["team_id"] = teamId },
            ["api_app_id"] = AppId,
            ["token"] = "legacy-verification-token",
            ["container"] = new JsonObject
            {
                ["type"] = "message",
                ["message_ts"] = message.Ts,
                ["channel_id"] = message.Channel,
                ["is_ephemeral"] = false,
                ["thread_ts"] = message.ThreadTs,
            },
            ["trigger_id"] = $"{actionTs}.{Guid.NewGuid():N}",
            ["team"] = new JsonObject { ["id"] = teamId, ["domain"] = "botagent-test" },
            ["channel"] = new JsonObject { ["id"] = message.Channel, ["name"] = "general" },
            ["message"] = new JsonObject
            {
                ["type"] = "message",
                ["ts"] = message.Ts,
                ["thread_ts"] = message.ThreadTs,
                ["text"] = message.Text,
                ["blocks"] = message.Blocks.DeepClone(),
            },
            ["response_url"] = "https://hooks.slack.invalid/actions/T0/1/abc",
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = actionId,
                ["block_id"] = button["block_id"]?.GetValue<string>() ?? "b1",
                ["text"] = button["text"]?.DeepClone(),
                ["value"] = value ?? button["value"]?.GetValue<string>(),
                ["style"] = button["style"]?.DeepClone(),
                ["action_ts"] = actionTs,
            }),
        };
    }

    /// <summary>A <c>/botagent</c> slash command as Slack posts it (form fields), with a fresh trigger id.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SlashCommand(string user, string channel, string text, string command = "/botagent") =>
    [
        new("token", "legacy-verification-token"),
        new("team_id", teamId),
        new("team_domain", "botagent-test"),
        new("channel_id", channel),
        new("channel_name", channel.StartsWith('D') ? "directmessage" : "general"),
        new("user_id", user),
        new("user_name", user.ToLowerInvariant()),
        new("command", command),
        new("text", text),
        new("api_app_id", AppId),
        new("is_enterprise_install", "false"),
        new("response_url", "https://hooks.slack.invalid/commands/T0/1/abc"),
        new("trigger_id", $"{NextTs()}.{Guid.NewGuid():N}"),
    ];

    /// <summary>A signed (or forged) slash command POST: <c>application/x-www-form-urlencoded</c>, as Slack sends it.</summary>
    public HttpRequestMessage CommandRequest(Uri url, IReadOnlyList<KeyValuePair<string, string>> form, SlackSigning signing = SlackSigning.Valid)
    {
        var body = string.Join("&", form.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
        return Signed(url, Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded", signing);
    }

    /// <summary>An event the bot introduces itself on: it was added to <paramref name="channel"/>, or a Messages tab was opened.</summary>
    public JsonObject BotJoined(string channel) => EventCallback(new JsonObject
    {
        ["type"] = "member_joined_channel",
        ["user"] = botUserId,
        ["channel"] = channel,
        ["channel_type"] = "C",
        ["team"] = teamId,
        ["inviter"] = "U0ALICE001",
        ["event_ts"] = NextTs(),
    });

    public JsonObject HomeOpened(string user, string channel, string tab = "messages") => EventCallback(new JsonObject
    {
        ["type"] = "app_home_opened",
        ["user"] = user,
        ["channel"] = channel,
        ["tab"] = tab,
        ["event_ts"] = NextTs(),
    });

    /// <summary>A signed (or forged) POST of an Events API body.</summary>
    public HttpRequestMessage EventRequest(Uri url, JsonObject body, SlackSigning signing = SlackSigning.Valid, int? retryNum = null)
    {
        var request = Signed(url, Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json", signing);
        if (retryNum is { } retry)
        {
            request.Headers.Add("X-Slack-Retry-Num", retry.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }
        return request;
    }

    /// <summary>A signed (or forged) interactivity POST: the payload form-encoded in one <c>payload</c> field.</summary>
    public HttpRequestMessage InteractionRequest(Uri url, JsonObject payload, SlackSigning signing = SlackSigning.Valid)
    {
        var form = "payload=" + Uri.EscapeDataString(payload.ToJsonString());
        return Signed(url, Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded", signing);
    }

    /// <summary>Slack's signature: <c>v0=</c> and the lowercase hex HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>.</summary>
    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var basis = Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), basis));
    }

    private HttpRequestMessage Signed(Uri url, byte[] body, string contentType, SlackSigning signing)
    {
        var now = TimeProvider.System.GetUtcNow();
        var at = signing switch
        {
            SlackSigning.Stale => now.AddMinutes(-6),
            SlackSigning.Future => now.AddMinutes(6),
            _ => now,
        };
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Sign(signing == SlackSigning.WrongSecret ? signingSecret + "-not" : signingSecret, timestamp, body);
        if (signing == SlackSigning.Tampered)
            body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("check", "chmod", StringComparison.Ordinal) + " ");

        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (signing != SlackSigning.None)
        {
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
            request.Headers.Add("X-Slack-Signature", signature);
        }
        return request;
    }

    /// <summary>Slack timestamps: seconds and a sequence, unique per message.</summary>
    private string NextTs() => "1764064700." + Interlocked.Increment(ref _sequence).ToString("D6", CultureInfo.InvariantCulture);
}
