using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BotAgent.Testing;

/// <summary>
/// A loopback model server that speaks the Chat Completions wire format on the OpenAI path
/// (<c>POST /v1/chat/completions</c>) and the Azure OpenAI path
/// (<c>POST /openai/deployments/{deployment}/chat/completions?api-version=…</c>). It records every
/// request and answers from a script: a <see cref="Responder"/> for answers that depend on the request,
/// then a queue of replies. With neither, it answers 500, so a test that forgot a reply fails loudly.
/// The one exception: a request to look at a step's results that the <see cref="Responder"/> does not answer is
/// answered "continue" (<see cref="ContinueReply"/>) and takes nothing from the queue, because most tests are about
/// something else and the bot asks after every step.
/// </summary>
public sealed class TestModelServer : LoopbackServer
{
    private readonly List<ModelRequest> _requests = [];
    private readonly Queue<ModelReply> _script = new();
    private int _sequence;

    /// <summary>What an unscripted request to look at a step's results gets: go on with the plan.</summary>
    public static readonly ModelReply ContinueReply = ModelReply.Completion("""{"decision":"continue","reason":"the plan is on track","plan":null}""");

    public static async Task<TestModelServer> StartAsync()
    {
        var server = new TestModelServer();
        await server.StartServerAsync();
        return server;
    }

    /// <summary>For <c>OpenAI:BaseUrl</c>: the client appends <c>/chat/completions</c>.</summary>
    public string OpenAIBaseUrl => BaseUrl + "/v1";

    /// <summary>For <c>AzureOpenAI:Endpoint</c>: the client appends <c>openai/deployments/…</c>.</summary>
    public string AzureEndpoint => BaseUrl + "/";

    /// <summary>Consulted first for every request; null passes the request on to the queued replies.</summary>
    public Func<ModelRequest, ModelReply?>? Responder { get; set; }

    public IReadOnlyList<ModelRequest> Requests
    {
        get
        {
            lock (_requests)
                return [.. _requests];
        }
    }

    /// <summary>Replies for the next requests the <see cref="Responder"/> does not answer, in order.</summary>
    public void Enqueue(params ModelReply[] replies)
    {
        lock (_script)
        {
            foreach (var reply in replies)
                _script.Enqueue(reply);
        }
    }

    public async Task<IReadOnlyList<ModelRequest>> WaitForAsync(Func<ModelRequest, bool> predicate, int count = 1, TimeSpan? timeout = null, string? what = null) =>
        await Eventually.GetAsync<IReadOnlyList<ModelRequest>>(
            () =>
            {
                var matching = Requests.Where(predicate).ToList();
                return Task.FromResult<IReadOnlyList<ModelRequest>?>(matching.Count >= count ? matching : null);
            },
            what ?? $"{count} matching model request(s)",
            timeout);

    protected override void Map(WebApplication app)
    {
        app.MapPost("/v1/chat/completions", context => HandleAsync(context, null));
        app.MapPost("/openai/deployments/{deployment}/chat/completions", context =>
            HandleAsync(context, context.Request.RouteValues["deployment"] as string));
    }

    private async Task HandleAsync(HttpContext context, string? deployment)
    {
        using var reader = new StreamReader(context.Request.Body);
        var raw = await reader.ReadToEndAsync(context.RequestAborted);
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(raw) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            body = null;
        }
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        ModelRequest request;
        lock (_requests)
        {
            request = new ModelRequest(++_sequence, TimeProvider.System.GetUtcNow(), context.Request.Path, context.Request.QueryString.Value ?? "", deployment, headers, raw, body);
            _requests.Add(request);
        }

        var reply = Responder?.Invoke(request)
            ?? (request.Purpose == ModelPurpose.Observe ? ContinueReply : null)
            ?? Dequeue()
            ?? ModelReply.Error(500, "no scripted reply for this request");
        if (reply.Delay is { } delay)
        {
            // The client gives up first (a timeout); its disconnect ends the wait.
            await Task.Delay(delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            if (context.RequestAborted.IsCancellationRequested)
                return;
        }

        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is { } retryAfter)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        var json = reply.Status is >= 200 and < 300
            ? Completion(reply, body?["model"]?.GetValue<string>() ?? deployment ?? "test-model")
            : new JsonObject { ["error"] = new JsonObject { ["message"] = reply.Content ?? "scripted error", ["type"] = "server_error", ["code"] = reply.Status.ToString(CultureInfo.InvariantCulture) } };
        await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted);
    }

    private ModelReply? Dequeue()
    {
        lock (_script)
            return _script.TryDequeue(out var reply) ? reply : null;
    }

    private JsonObject Completion(ModelReply reply, string model) => new()
    {
        ["id"] = "chatcmpl-test-" + _sequence.ToString(CultureInfo.InvariantCulture),
        ["object"] = "chat.completion",
        ["created"] = 1_750_000_000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content ?? "" },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject
        {
            ["prompt_tokens"] = reply.PromptTokens,
            ["completion_tokens"] = reply.CompletionTokens,
            ["total_tokens"] = reply.PromptTokens + reply.CompletionTokens,
        },
    };
}

/// <summary>One scripted answer of the <see cref="TestModelServer"/>.</summary>
/// <param name="Content">The assistant message (a completion), or the error message (an error status).</param>
/// <param name="RetryAfter">Sent as <c>Retry-After</c> in whole seconds.</param>
/// <param name="Delay">Wait this long before answering; longer than the bot's timeout simulates a timeout.</param>
public sealed record ModelReply(int Status, string? Content, TimeSpan? RetryAfter = null, TimeSpan? Delay = null, int PromptTokens = 120, int CompletionTokens = 60)
{
    public static ModelReply Completion(string content, int promptTokens = 120, int completionTokens = 60) =>
        new(200, content, PromptTokens: promptTokens, CompletionTokens: completionTokens);

    public static ModelReply Error(int status, string? message = null, TimeSpan? retryAfter = null) => new(status, message, retryAfter);

    public static ModelReply TooManyRequests(TimeSpan retryAfter) => new(429, "rate limited", retryAfter);

    public static ModelReply Slow(TimeSpan delay, string content = "{}") => new(200, content, Delay: delay);
}

/// <summary>What a model request was for, told from its prompts.</summary>
public enum ModelPurpose
{
    Other,
    Plan,
    Repair,
    Revision,

    /// <summary>After a step: continue, revise or done.</summary>
    Observe,
    Summary,
}

/// <summary>One request the bot made to the <see cref="TestModelServer"/>.</summary>
/// <param name="Deployment">The Azure deployment in the path; null on the OpenAI path.</param>
/// <param name="Headers">Every request header, case-insensitive (<c>Authorization</c>, <c>api-key</c>, …).</param>
/// <param name="Body">The parsed JSON body; null when it was not a JSON object.</param>
public sealed record ModelRequest(int Sequence, DateTimeOffset At, string Path, string Query, string? Deployment, IReadOnlyDictionary<string, string> Headers, string RawBody, JsonObject? Body)
{
    public const string PlannerSystemPrompt = "You are the planner of BotAgent";
    public const string SummaryMarker = "Write the final summary";
    public const string RevisionMarker = "Propose a revised plan";
    public const string RepairMarker = "That answer is not a valid plan";
    public const string ObserveMarker = "Decide what happens next";

    public bool IsAzure => Deployment is not null;

    public string? Authorization => Headers.TryGetValue("Authorization", out var value) ? value : null;

    public string? ApiKey => Headers.TryGetValue("api-key", out var value) ? value : null;

    /// <summary>The messages as (role, text); content given as parts is joined.</summary>
    public IReadOnlyList<(string Role, string Content)> Messages =>
        [.. (Body?["messages"] as JsonArray ?? []).OfType<JsonObject>().Select(m => (m["role"]?.GetValue<string>() ?? "", Text(m["content"])))];

    public string SystemPrompt => Messages.FirstOrDefault(m => m.Role is "system" or "developer").Content ?? "";

    public string LastUserMessage => Messages.LastOrDefault(m => m.Role == "user").Content ?? "";

    /// <summary><c>response_format</c> as sent (<c>json_schema</c>, <c>json_object</c>, <c>text</c>), or null.</summary>
    public JsonObject? ResponseFormat => Body?["response_format"] as JsonObject;

    public ModelPurpose Purpose => this switch
    {
        _ when LastUserMessage.Contains(SummaryMarker, StringComparison.Ordinal) => ModelPurpose.Summary,
        _ when !SystemPrompt.StartsWith(PlannerSystemPrompt, StringComparison.Ordinal) => ModelPurpose.Other,
        _ when LastUserMessage.StartsWith(RepairMarker, StringComparison.Ordinal) => ModelPurpose.Repair,
        _ when IsRevision => ModelPurpose.Revision,
        _ when IsObservation => ModelPurpose.Observe,
        _ => ModelPurpose.Plan,
    };

    /// <summary>True for plan, repair and revision requests (all carry the planner's system prompt).</summary>
    public bool IsPlanning => SystemPrompt.StartsWith(PlannerSystemPrompt, StringComparison.Ordinal);

    public bool IsSummary => Purpose == ModelPurpose.Summary;

    /// <summary>True for a request to look at a step's results (not its repairs).</summary>
    public bool IsObservation => IsPlanning && LastUserMessage.Contains(ObserveMarker, StringComparison.Ordinal);

    /// <summary>True for a revision request and the repairs that follow it.</summary>
    public bool IsRevision => IsPlanning && Messages.Any(m => m.Role == "user" && m.Content.Contains(RevisionMarker, StringComparison.Ordinal));

    private static string Text(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => p["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };
}
