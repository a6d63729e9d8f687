using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace BotAgent.Testing;

/// <summary>
/// A raw Direct Line 3.0 client over HTTP on loopback, for tests that speak the protocol themselves (the official
/// client is driven from Node in <c>tests/directline-client</c>): every call returns the response as sent.
/// </summary>
public sealed class DirectLineClient(Uri botBaseUri) : IDisposable
{
    private readonly HttpClient _http = new();

    public Uri Base { get; } = new(botBaseUri, "v3/directline/");

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? bearer, JsonNode? body = null, Action<HttpRequestMessage>? change = null)
    {
        var request = new HttpRequestMessage(method, new Uri(Base, path));
        if (body is not null)
            request.Content = JsonContent.Create(body);
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        change?.Invoke(request);
        return _http.SendAsync(request);
    }

    /// <summary>Starts a conversation; returns its id, token and stream URL (throws on anything but success).</summary>
    public async Task<DirectLineStart> StartAsync(string? bearer, string? userId = null, string? userName = null)
    {
        var body = userId is null ? null : new JsonObject { ["user"] = new JsonObject { ["id"] = userId, ["name"] = userName } };
        using var response = await SendAsync(HttpMethod.Post, "conversations", bearer, body);
        var json = await ReadOkAsync(response);
        return new DirectLineStart(json["conversationId"]!.GetValue<string>(), json["token"]!.GetValue<string>(), json["streamUrl"]!.GetValue<string>());
    }

    public async Task<string> PostMessageAsync(string conversationId, string token, string? from, string? text = null, JsonNode? value = null, string? clientActivityId = null)
    {
        var activity = new JsonObject { ["type"] = "message", ["text"] = text };
        if (from is not null)
            activity["from"] = new JsonObject { ["id"] = from };
        if (value is not null)
            activity["value"] = value;
        if (clientActivityId is not null)
            activity["channelData"] = new JsonObject { ["clientActivityID"] = clientActivityId };
        using var response = await SendAsync(HttpMethod.Post, $"conversations/{conversationId}/activities", token, activity);
        return (await ReadOkAsync(response))["id"]!.GetValue<string>();
    }

    /// <summary>One GET of the activities after <paramref name="watermark"/>.</summary>
    public async Task<(JsonArray Activities, string Watermark)> GetAsync(string conversationId, string token, string? watermark)
    {
        using var response = await SendAsync(HttpMethod.Get, $"conversations/{conversationId}/activities?watermark={watermark}", token);
        var json = await ReadOkAsync(response);
        return (json["activities"]!.AsArray(), json["watermark"]!.GetValue<string>());
    }

    /// <summary>Polls until an activity matching <paramref name="match"/> arrives; returns it with everything read so far.</summary>
    public async Task<JsonObject> WaitForAsync(string conversationId, string token, Func<JsonObject, bool> match, string what, List<JsonObject>? seen = null)
    {
        seen ??= [];
        string? watermark = null;
        return await Eventually.GetAsync(async () =>
        {
            var (activities, mark) = await GetAsync(conversationId, token, watermark);
            watermark = mark;
            seen.AddRange(activities.Select(a => a!.AsObject()));
            return seen.LastOrDefault(match);
        }, what);
    }

    /// <summary>The text of an activity's Adaptive Card (its TextBlocks and facts), for assertions.</summary>
    public static string CardText(JsonObject activity) =>
        activity["attachments"]?[0]?["content"]?.ToJsonString() ?? "";

    public static async Task<JsonObject> ReadOkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Opens a stream URL as a WebSocket; frames are read with <see cref="ReceiveAsync"/>.</summary>
    public static async Task<ClientWebSocket> OpenStreamAsync(string streamUrl, string? origin = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
            socket.Options.SetRequestHeader("Origin", origin);
        await socket.ConnectAsync(new Uri(streamUrl), CancellationToken.None);
        return socket;
    }

    public static async Task<JsonObject> ReceiveAsync(ClientWebSocket socket, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancel.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!.AsObject();
    }

    public void Dispose() => _http.Dispose();
}

public sealed record DirectLineStart(string ConversationId, string Token, string StreamUrl);
