using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Reporting;
using Microsoft.Extensions.Options;

namespace BotAgent.Channels.Slack;

/// <summary>
/// The Slack Web API methods BotAgent calls. Slack answers HTTP 200 with <c>ok:false</c> and an error
/// name for most failures, 429 with <c>Retry-After</c> when rate limited. Results map to
/// <see cref="SendOutcome"/>: posting is not idempotent, so a timeout or server error on a post is
/// ambiguous (never re-posted blindly), while an update is simply retried.
/// </summary>
internal sealed class SlackWebApiClient(IHttpClientFactory httpClients, IOptions<SlackOptions> options)
{
    public const string HttpClientName = "Slack.WebApi";

    /// <summary>Errors Slack gives when it failed on its side; the operation may or may not have happened.</summary>
    private static readonly HashSet<string> ServerErrors = new(StringComparer.Ordinal) { "internal_error", "fatal_error", "service_unavailable" };

    /// <summary>A message (reply in <paramref name="threadTs"/> when given); the outcome's activity id is its <c>ts</c>.</summary>
    public async Task<SendOutcome> PostMessageAsync(string channel, string? threadTs, SlackMessage message, CancellationToken cancellationToken)
    {
        var body = message.ToRequest();
        body["channel"] = channel;
        if (threadTs is not null)
            body["thread_ts"] = threadTs;
        // Link previews of URLs in plans and outputs would bury the thread.
        body["unfurl_links"] = false;
        body["unfurl_media"] = false;
        var answer = await CallAsync("chat.postMessage", Json(body), BotToken, isCreate: true, cancellationToken);
        return answer.Outcome.Status == SendStatus.Delivered ? SendOutcome.Delivered(Text(answer.Body, "ts")) : answer.Outcome;
    }

    /// <summary>Replaces a message's text and blocks in place.</summary>
    public async Task<SendOutcome> UpdateAsync(string channel, string ts, SlackMessage message, CancellationToken cancellationToken)
    {
        var body = message.ToRequest();
        body["channel"] = channel;
        body["ts"] = ts;
        var answer = await CallAsync("chat.update", Json(body), BotToken, isCreate: false, cancellationToken);
        return answer.Outcome.Status == SendStatus.Delivered ? SendOutcome.Delivered(Text(answer.Body, "ts") ?? ts) : answer.Outcome;
    }

    /// <summary>A message only <paramref name="user"/> sees (not kept by Slack across reloads, so only for feedback).</summary>
    public async Task<SendOutcome> PostEphemeralAsync(string channel, string user, string? threadTs, SlackMessage message, CancellationToken cancellationToken)
    {
        var body = message.ToRequest();
        body["channel"] = channel;
        body["user"] = user;
        if (threadTs is not null)
            body["thread_ts"] = threadTs;
        var answer = await CallAsync("chat.postEphemeral", Json(body), BotToken, isCreate: true, cancellationToken);
        return answer.Outcome.Status == SendStatus.Delivered ? SendOutcome.Delivered(Text(answer.Body, "message_ts")) : answer.Outcome;
    }

    /// <summary>A person's profile (<c>users.info</c>); null with the outcome when Slack would not say.</summary>
    public async Task<(JsonObject? User, SendOutcome Outcome)> GetUserAsync(string userId, CancellationToken cancellationToken)
    {
        // A read method: form-encoded, as Slack accepts JSON bodies for write methods only.
        var answer = await CallAsync("users.info", new FormUrlEncodedContent([new("user", userId)]), BotToken, isCreate: false, cancellationToken);
        return (answer.Body?["user"] as JsonObject, answer.Outcome);
    }

    /// <summary>A Socket Mode WebSocket address (<c>apps.connections.open</c> with the app-level token).</summary>
    public async Task<(Uri? Url, SendOutcome Outcome)> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var token = options.Value.AppToken ?? throw new InvalidOperationException("Slack:AppToken is not set.");
        var answer = await CallAsync("apps.connections.open", new FormUrlEncodedContent([]), token, isCreate: false, cancellationToken);
        if (answer.Outcome.Status != SendStatus.Delivered)
            return (null, answer.Outcome);
        return Uri.TryCreate(Text(answer.Body, "url"), UriKind.Absolute, out var url) && (url.Scheme is "wss" or "ws")
            ? (url, answer.Outcome)
            : (null, SendOutcome.Later(null, "apps.connections.open answered without a WebSocket url"));
    }

    private string BotToken => options.Value.BotToken ?? throw new InvalidOperationException("Slack:BotToken is not set.");

    private static ByteArrayContent Json(JsonObject body) =>
        // Buffered with a Content-Length and an explicit charset, as Slack asks for JSON bodies.
        new(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString(SlackJsonContext.Wire)))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
        };

    private async Task<(SendOutcome Outcome, JsonObject? Body)> CallAsync(string method, HttpContent content, string token, bool isCreate, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.MethodUri(method)) { Content = content };
        // The token goes in the header only, never in the URL or body, so no access log shows it.
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return await InterpretAsync(method, response, isCreate, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } || ex.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            return (SendOutcome.Later(null, $"Slack {method}: connection refused: {ex.Message}"), null);
        }
        catch (HttpRequestException ex)
        {
            // The request may have reached Slack before the connection broke.
            var error = $"Slack {method}: connection failed: {ex.Message}";
            return (isCreate ? SendOutcome.Unsure(error) : SendOutcome.Later(null, error), null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var error = $"Slack {method}: timed out";
            return (isCreate ? SendOutcome.Unsure(error) : SendOutcome.Later(null, error), null);
        }
    }

    private static async Task<(SendOutcome, JsonObject?)> InterpretAsync(string method, HttpResponseMessage response, bool isCreate, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return (SendOutcome.Later(RetryAfter.Of(response), $"Slack {method}: rate limited (HTTP 429)"), null);
        if (status >= 500)
        {
            var error = $"Slack {method}: HTTP {status}";
            return (isCreate ? SendOutcome.Unsure(error) : SendOutcome.Later(RetryAfter.Of(response), error), null);
        }
        if (!response.IsSuccessStatusCode)
            return (SendOutcome.Failure($"Slack {method}: HTTP {status}"), null);

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(await response.Content.ReadAsStreamAsync(cancellationToken)) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is null)
        {
            var error = $"Slack {method}: the answer is not a JSON object";
            return (isCreate ? SendOutcome.Unsure(error) : SendOutcome.Later(null, error), null);
        }
        if (body["ok"] is JsonValue ok && ok.TryGetValue<bool>(out var isOk) && isOk)
            return (SendOutcome.Delivered(null), body);

        var name = Text(body, "error") ?? "unknown_error";
        var failure = $"Slack {method} failed: {name}{Details(body)}";
        if (name == "ratelimited")
            return (SendOutcome.Later(RetryAfter.Of(response), failure), body);
        // Slack's POST data arrived incomplete: nothing was done, so sending again is safe.
        if (name == "request_timeout")
            return (SendOutcome.Later(null, failure), body);
        if (ServerErrors.Contains(name))
            return (isCreate ? SendOutcome.Unsure(failure) : SendOutcome.Later(null, failure), body);
        return (SendOutcome.Failure(failure), body);
    }

    /// <summary>Slack explains <c>invalid_blocks</c> and similar errors in <c>response_metadata.messages</c>.</summary>
    private static string Details(JsonObject body)
    {
        var messages = (body["response_metadata"]?["messages"] as JsonArray)?
            .Select(m => m is JsonValue v && v.TryGetValue<string>(out var s) ? s : null)
            .OfType<string>()
            .Take(3)
            .ToList();
        return messages is { Count: > 0 } ? " (" + TextExcerpt.Truncate(string.Join("; ", messages), 300) + ")" : "";
    }

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
