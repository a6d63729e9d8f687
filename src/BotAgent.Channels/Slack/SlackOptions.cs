using System.ComponentModel.DataAnnotations;

namespace BotAgent.Channels.Slack;

/// <summary>
/// Configuration section <c>Slack</c>. Slack is on when <c>BotToken</c> is set together with a
/// <c>SigningSecret</c> (HTTP mode: Events API and interactivity requests) and/or an <c>AppToken</c>
/// (Socket Mode: no public address needed).
/// </summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";
    public const string PublicApiBaseUrl = "https://slack.com/api/";

    /// <summary>The bot token (<c>xoxb-…</c>) for the Web API. A secret: environment or secret store only.</summary>
    public string? BotToken { get; set; }

    /// <summary>The app's signing secret; inbound HTTP requests are verified with it. A secret.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>An app-level token (<c>xapp-…</c>, scope <c>connections:write</c>): turns Socket Mode on. A secret.</summary>
    public string? AppToken { get; set; }

    /// <summary>The Web API base address; the public one by default (tests point it at a loopback server).</summary>
    [Url]
    public string ApiBaseUrl { get; set; } = PublicApiBaseUrl;

    /// <summary>The bot's own user id (<c>U…</c>). Optional: event payloads name it too.</summary>
    public string? BotUserId { get; set; }

    /// <summary>Look people's display names and e-mail addresses up with <c>users.info</c> (scopes <c>users:read</c>, <c>users:read.email</c>).</summary>
    public bool LookUpUsers { get; set; } = true;

    /// <summary>Timeout of one Web API call.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest inbound request body accepted on /api/slack/*, in bytes.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Socket Mode: first wait before reconnecting after a failure; doubles up to <see cref="ReconnectMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Socket Mode: longest wait between reconnection attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Workspace (team) ids whose events and clicks the bot serves. Empty: any workspace that delivers to this app.
    /// Others are acknowledged (so Slack does not retry) and dropped unstored.
    /// </summary>
    public List<string> AllowedTeams { get; set; } = [];

    public bool IsHttpMode => !string.IsNullOrWhiteSpace(SigningSecret);

    public bool IsSocketMode => !string.IsNullOrWhiteSpace(AppToken);

    /// <summary>A Web API method's address under the base (a method, not a property: validation reads every property).</summary>
    public Uri MethodUri(string method) => new(new Uri(ApiBaseUrl.EndsWith('/') ? ApiBaseUrl : ApiBaseUrl + "/", UriKind.Absolute), method);
}
