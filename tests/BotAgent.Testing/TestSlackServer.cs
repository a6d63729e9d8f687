using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace BotAgent.Testing;

/// <summary>
/// A loopback Slack: the Web API methods BotAgent calls (<c>chat.postMessage</c>, <c>chat.update</c>,
/// <c>chat.postEphemeral</c>, <c>users.info</c>, <c>auth.test</c>, <c>apps.connections.open</c>) and a
/// Socket Mode WebSocket endpoint. It checks tokens, enforces Block Kit's limits as Slack does
/// (answering <c>invalid_blocks</c> and the like), records every call, keeps each message's latest
/// version by <c>ts</c>, and can answer with scripted faults.
/// </summary>
public sealed class TestSlackServer : LoopbackServer
{
    public const string DefaultBotToken = "xoxb-test";
    public const string DefaultAppToken = "xapp-test";
    public const string TeamId = "T0TESTTEAM";
    public const string BotUserId = "U0BOTAGENT";

    private readonly string _botToken;
    private readonly string _appToken;
    private readonly List<SlackCall> _calls = [];
    private readonly ConcurrentDictionary<string, SlackPostedMessage> _messages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Name, string? Email, string Team)> _users = new(StringComparer.Ordinal);
    private readonly FaultQueue<SlackCall, SlackFault> _faults = new();
    private readonly ConcurrentQueue<SlackSocket> _sockets = new();
    private int _sequence;
    private int _ts;
    private int _connections;

    private TestSlackServer(string botToken, string appToken)
    {
        _botToken = botToken;
        _appToken = appToken;
    }

    public static async Task<TestSlackServer> StartAsync(string botToken = DefaultBotToken, string appToken = DefaultAppToken)
    {
        var server = new TestSlackServer(botToken, appToken);
        await server.StartServerAsync();
        return server;
    }

    /// <summary>The value for <c>Slack:ApiBaseUrl</c>.</summary>
    public string ApiBaseUrl => BaseUrl + "/api/";

    /// <summary>Send <c>hello</c> as soon as a Socket Mode connection opens, as Slack does.</summary>
    public bool SayHello { get; set; } = true;

    public IReadOnlyList<SlackCall> Calls
    {
        get
        {
            lock (_calls)
                return [.. _calls];
        }
    }

    public IReadOnlyList<SlackSocket> Sockets => [.. _sockets];

    /// <summary>A message the bot posted, as it stands after its updates.</summary>
    public SlackPostedMessage? Message(string ts) => _messages.TryGetValue(ts, out var message) ? message : null;

    /// <summary>A person <c>users.info</c> knows (of <paramref name="team"/>: another one is a Slack Connect guest); unknown ids get <c>user_not_found</c>.</summary>
    public void AddUser(string id, string name, string? email = null, string team = TeamId) => _users[id] = (name, email, team);

    /// <summary>The next call matching <paramref name="when"/> gets <paramref name="fault"/> instead of success.</summary>
    public void FailNext(Func<SlackCall, bool> when, SlackFault fault) => _faults.Add(when, fault);

    public Task<IReadOnlyList<SlackCall>> WaitForAsync(Func<SlackCall, bool> predicate, int count = 1, TimeSpan? timeout = null, string? what = null) =>
        Eventually.GetAsync<IReadOnlyList<SlackCall>>(
            () =>
            {
                var matching = Calls.Where(predicate).ToList();
                return Task.FromResult<IReadOnlyList<SlackCall>?>(matching.Count >= count ? matching : null);
            },
            what ?? $"{count} matching Slack call(s)",
            timeout);

    /// <summary>Waits for the bot's <paramref name="index"/>th Socket Mode connection (1-based).</summary>
    public Task<SlackSocket> WaitForSocketAsync(int index, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() => Task.FromResult(_sockets.FirstOrDefault(s => s.Index == index)), $"Socket Mode connection {index}", timeout);

    protected override void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.MapPost("/api/{method}", HandleApiAsync);
        app.Map("/socket/{id}", HandleSocketAsync);
    }

    private async Task<IResult> HandleApiAsync(HttpContext context, string method)
    {
        var body = await ReadBodyAsync(context.Request);
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        var call = new SlackCall(0, method, body, authorization, 200, true, null, null);
        var fault = _faults.Take(call);
        if (fault?.Delay is { } delay)
            await Task.Delay(delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);

        (int Status, JsonObject Answer) outcome;
        if (fault is { Accept: false })
            outcome = Fault(context, fault);
        else
        {
            outcome = (200, Answer(method, body, authorization));
            if (fault is not null)
                outcome = Fault(context, fault);
        }
        var ok = outcome.Answer["ok"]?.GetValue<bool>() == true && outcome.Status == 200;
        lock (_calls)
            _calls.Add(call with
            {
                Sequence = ++_sequence,
                Status = outcome.Status,
                Ok = ok,
                Error = outcome.Answer["error"]?.GetValue<string>(),
                Ts = outcome.Answer["ts"]?.GetValue<string>() ?? outcome.Answer["message_ts"]?.GetValue<string>(),
            });
        return Results.Text(outcome.Answer.ToJsonString(), "application/json; charset=utf-8", statusCode: outcome.Status);
    }

    private JsonObject Answer(string method, JsonObject body, string? authorization)
    {
        var expected = method == "apps.connections.open" ? _appToken : _botToken;
        if (authorization is null)
            return Error("not_authed");
        if (authorization != "Bearer " + expected)
            return Error("invalid_auth");
        return method switch
        {
            "chat.postMessage" => PostMessage(body),
            "chat.update" => Update(body),
            "chat.postEphemeral" => PostEphemeral(body),
            "users.info" => UserInfo(body),
            "auth.test" => new JsonObject { ["ok"] = true, ["team_id"] = TeamId, ["user_id"] = BotUserId, ["bot_id"] = "B0BOTAGENT" },
            "apps.connections.open" => new JsonObject
            {
                ["ok"] = true,
                ["url"] = $"ws://{BaseUri.Authority}/socket/{Interlocked.Increment(ref _connections)}?ticket={Guid.NewGuid():N}",
            },
            _ => Error("unknown_method"),
        };
    }

    private JsonObject PostMessage(JsonObject body)
    {
        if (Str(body["channel"]) is not { Length: > 0 } channel)
            return Error("channel_not_found");
        if (Refusal(body) is { } refusal)
            return refusal;
        var ts = NextTs();
        var message = new SlackPostedMessage(channel, ts, Str(body["thread_ts"]), Str(body["text"]) ?? "", body["blocks"]?.DeepClone() as JsonArray ?? [], 1);
        _messages[ts] = message;
        return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts, ["message"] = new JsonObject { ["ts"] = ts, ["text"] = message.Text } };
    }

    private JsonObject Update(JsonObject body)
    {
        var ts = Str(body["ts"]);
        if (ts is null || !_messages.TryGetValue(ts, out var current) || current.Channel != Str(body["channel"]))
            return Error("message_not_found");
        if (Refusal(body) is { } refusal)
            return refusal;
        _messages[ts] = current with
        {
            Text = Str(body["text"]) ?? current.Text,
            // Slack removes the blocks of a message updated with text only.
            Blocks = body["blocks"]?.DeepClone() as JsonArray ?? [],
            Version = current.Version + 1,
        };
        return new JsonObject { ["ok"] = true, ["channel"] = current.Channel, ["ts"] = ts, ["text"] = Str(body["text"]) };
    }

    private JsonObject PostEphemeral(JsonObject body)
    {
        if (Str(body["channel"]) is not { Length: > 0 })
            return Error("channel_not_found");
        if (Str(body["user"]) is not { Length: > 0 })
            return Error("user_not_in_channel");
        return Refusal(body) ?? new JsonObject { ["ok"] = true, ["message_ts"] = NextTs() };
    }

    private JsonObject UserInfo(JsonObject body)
    {
        var id = Str(body["user"]);
        if (id is null || !_users.TryGetValue(id, out var user))
            return Error("user_not_found");
        var profile = new JsonObject { ["display_name"] = user.Name, ["real_name"] = user.Name };
        if (user.Email is not null)
            profile["email"] = user.Email;
        return new JsonObject { ["ok"] = true, ["user"] = new JsonObject { ["id"] = id, ["team_id"] = user.Team, ["name"] = user.Name.ToLowerInvariant(), ["real_name"] = user.Name, ["profile"] = profile } };
    }

    /// <summary>What Slack answers for a message that breaks Block Kit's rules.</summary>
    private static JsonObject? Refusal(JsonObject body)
    {
        var errors = BlockKitRules.Validate(body);
        if (errors.Count == 0)
            return null;
        var name = errors[0].Split(':', 2)[0];
        var answer = Error(name);
        answer["response_metadata"] = new JsonObject { ["messages"] = new JsonArray([.. errors.Select(e => (JsonNode?)JsonValue.Create("[ERROR] " + e))]) };
        return answer;
    }

    private async Task HandleSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
        var socket = new SlackSocket(_sockets.Count + 1, webSocket);
        if (SayHello)
        {
            await socket.SendAsync(new JsonObject
            {
                ["type"] = "hello",
                ["num_connections"] = 1,
                ["connection_info"] = new JsonObject { ["app_id"] = "A0BOTAGENT" },
                ["debug_info"] = new JsonObject { ["host"] = "test" },
            });
        }
        _sockets.Enqueue(socket);
        await socket.RunAsync(context.RequestAborted);
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
            return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
        var form = new JsonObject();
        foreach (var (key, value) in QueryHelpers.ParseQuery(text))
            form[key] = value.ToString();
        return form;
    }

    private (int, JsonObject) Fault(HttpContext context, SlackFault fault)
    {
        if (fault.RetryAfter is { } retryAfter)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return (fault.Status, Error(fault.Error ?? "internal_error"));
    }

    private string NextTs() => "1764064800." + Interlocked.Increment(ref _ts).ToString("D6", CultureInfo.InvariantCulture);

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
