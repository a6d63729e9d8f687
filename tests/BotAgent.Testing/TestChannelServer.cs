using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BotAgent.Testing;

/// <summary>
/// A loopback channel that speaks the Bot Framework Connector REST API: reply, send, update and delete
/// activities. It records every call, assigns activity ids, keeps each activity's latest version (so a
/// test sees the card as people would), and can answer with scripted faults.
/// </summary>
public sealed class TestChannelServer : LoopbackServer
{
    private readonly string _basePath;
    private readonly List<ConnectorCall> _calls = [];
    private readonly ConcurrentDictionary<string, JsonObject> _activities = new();
    private readonly FaultQueue<ConnectorCall, ConnectorFault> _faults = new();
    private int _sequence;

    private TestChannelServer(string basePath) => _basePath = basePath;

    /// <param name="basePath">A path prefix like the Playground's <c>/_connector</c>; the serviceUrl then has no trailing slash.</param>
    public static async Task<TestChannelServer> StartAsync(string basePath = "")
    {
        var server = new TestChannelServer(basePath);
        await server.StartServerAsync();
        return server;
    }

    /// <summary>The serviceUrl to put in activities sent to the bot.</summary>
    public string ServiceUrl => BaseUrl + _basePath;

    public IReadOnlyList<ConnectorCall> Calls
    {
        get
        {
            lock (_calls)
                return [.. _calls];
        }
    }

    /// <summary>The latest version of an activity the bot created (after its updates).</summary>
    public JsonObject? Activity(string id) => _activities.TryGetValue(id, out var activity) ? activity : null;

    /// <summary>The next call matching <paramref name="when"/> gets <paramref name="fault"/> instead of success.</summary>
    public void FailNext(Func<ConnectorCall, bool> when, ConnectorFault fault) => _faults.Add(when, fault);

    /// <summary>Faults told with <see cref="FailNext"/> that no call has met yet.</summary>
    public int PendingFaults => _faults.Pending;

    public async Task<IReadOnlyList<ConnectorCall>> WaitForAsync(Func<ConnectorCall, bool> predicate, int count = 1, TimeSpan? timeout = null, string? what = null) =>
        await Eventually.GetAsync<IReadOnlyList<ConnectorCall>>(
            () =>
            {
                var matching = Calls.Where(predicate).ToList();
                return Task.FromResult<IReadOnlyList<ConnectorCall>?>(matching.Count >= count ? matching : null);
            },
            what ?? $"{count} matching connector call(s)",
            timeout);

    protected override void Map(WebApplication app)
    {
        var conversations = app.MapGroup(_basePath + "/v3/conversations");
        conversations.MapPost("", (Delegate)(Func<HttpContext, Task<IResult>>)CreateConversationAsync);
        conversations.MapPost("/{conversationId}/activities", (HttpContext c, string conversationId) => HandleAsync(c, conversationId, null));
        conversations.MapPost("/{conversationId}/activities/{activityId}", (HttpContext c, string conversationId, string activityId) => HandleAsync(c, conversationId, activityId));
        conversations.MapPut("/{conversationId}/activities/{activityId}", (HttpContext c, string conversationId, string activityId) => HandleAsync(c, conversationId, activityId));
        conversations.MapDelete("/{conversationId}/activities/{activityId}", (HttpContext c, string conversationId, string activityId) => HandleAsync(c, conversationId, activityId));
    }

    /// <summary>Create conversation (proactive 1:1): one conversation per member, found again on a second request.</summary>
    private async Task<IResult> CreateConversationAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        var member = body?["members"]?[0]?["id"]?.GetValue<string>() ?? "unknown";
        var id = "a:direct-" + member;
        var call = new ConnectorCall(0, "POST", context.Request.Path, id, null, body, 201, id, context.Request.Headers.Authorization.FirstOrDefault());
        lock (_calls)
            _calls.Add(call with { Sequence = ++_sequence });
        return Results.Json(new { id }, statusCode: 201);
    }

    private async Task<IResult> HandleAsync(HttpContext context, string conversationId, string? activityId)
    {
        var request = context.Request;
        JsonObject? body = null;
        if (request.ContentLength is > 0 || request.Method is "POST" or "PUT")
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync();
            if (text.Length > 0)
                body = JsonNode.Parse(text) as JsonObject;
        }

        var method = request.Method;
        var call = new ConnectorCall(0, method, request.Path, conversationId, activityId, body, 0, null, request.Headers.Authorization.FirstOrDefault());
        var fault = _faults.Take(call);
        if (fault?.Delay is { } delay)
            await Task.Delay(delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);

        var (status, assignedId, result) = fault is { Accept: false }
            ? (fault.Status, (string?)null, Fault(context, fault))
            : Accept(method, activityId, body, fault);
        lock (_calls)
            _calls.Add(call with { Sequence = ++_sequence, Status = status, AssignedId = assignedId });
        return result;
    }

    private (int, string?, IResult) Accept(string method, string? activityId, JsonObject? body, ConnectorFault? fault)
    {
        string? id = null;
        switch (method)
        {
            case "PUT":
                // The Emulator's rule: the body id must equal the URL's.
                if (body?["id"]?.GetValue<string>() != activityId)
                    return (400, null, Results.Json(new { error = new { code = "BadArgument", message = "uri activity id does not match payload activity id" } }, statusCode: 400));
                if (!_activities.ContainsKey(activityId!))
                    return (404, null, Results.Json(new { error = new { code = "ActivityNotFoundInConversation", message = "unknown activity" } }, statusCode: 404));
                _activities[activityId!] = body!;
                id = activityId;
                break;
            case "POST":
                id = "act-" + Interlocked.Increment(ref _sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (body is not null)
                    _activities[id] = body;
                break;
            case "DELETE":
                _activities.TryRemove(activityId!, out _);
                return (200, activityId, Results.Ok());
        }
        // Taken but answered with an error (the ambiguous case); a 2xx "fault" is only slow, and answers as usual.
        if (fault is { Accept: true, Status: < 200 or >= 300 })
            return (fault.Status, id, Results.StatusCode(fault.Status));
        return (method == "POST" ? 201 : 200, id, Results.Json(new { id }, statusCode: method == "POST" ? 201 : 200));
    }

    private static IResult Fault(HttpContext context, ConnectorFault fault)
    {
        if (fault.RetryAfter is { } retryAfter)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Text(fault.Body ?? "{\"error\":{\"code\":\"Fault\",\"message\":\"scripted fault\"}}", "application/json", statusCode: fault.Status);
    }
}
