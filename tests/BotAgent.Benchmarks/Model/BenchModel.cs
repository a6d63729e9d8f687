using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BotAgent.Benchmarks.Model;

/// <summary>
/// A loopback model server on the OpenAI Chat Completions path (<c>POST /v1/chat/completions</c>) that answers every
/// request a fixed <see cref="Latency"/> after it arrived, as a hosted model would, with what <see cref="ModelAnswers"/>
/// makes of it. It keeps one small record per request (kind, goal, arrival, answer) so a scenario can tell which
/// model calls sat on which path; the functional tests' model server keeps every prompt and would be measured too.
/// </summary>
internal sealed class BenchModel : IAsyncDisposable
{
    private const string ModelName = "bench-model";
    private readonly ConcurrentQueue<ModelCall> _calls = new();
    private WebApplication? _app;
    private long _sequence;

    private BenchModel(TimeSpan latency) => Latency = latency;

    public TimeSpan Latency { get; }

    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyCollection<ModelCall> Calls => _calls;

    /// <summary>The bot's settings (environment variables) that make it plan, observe and summarise with this model.</summary>
    public IReadOnlyDictionary<string, string> BotEnvironment => new Dictionary<string, string>
    {
        ["Planner__Provider"] = "OpenAI",
        ["OpenAI__BaseUrl"] = BaseUri + "v1",
        ["OpenAI__Model"] = ModelName,
        // Every goal comes from one synthetic requester: the per-person token budget would measure itself (as Limits:* in Bench).
        ["Limits__ModelTokensPerPersonPerDay"] = "0",
    };

    public static async Task<BenchModel> StartAsync(TimeSpan latency)
    {
        var model = new BenchModel(latency);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        model._app = builder.Build();
        model._app.MapPost("/v1/chat/completions", model.HandleAsync);
        await model._app.StartAsync();
        var address = model._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        model.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return model;
    }

    /// <summary>The calls about goals of one round (ids starting with <paramref name="tag"/>), by goal id.</summary>
    public ILookup<string, ModelCall> CallsOf(string tag) =>
        _calls.Where(c => c.GoalId is { } id && id.StartsWith(tag, StringComparison.Ordinal)).ToLookup(c => c.GoalId!, StringComparer.Ordinal);

    public int Count(ModelCallKind kind) => _calls.Count(c => c.Kind == kind);

    private async Task HandleAsync(HttpContext context)
    {
        var began = Stopwatch.GetTimestamp();
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
        var messages = Messages(body);
        var kind = ModelAnswers.Classify(body, messages);
        var content = ModelAnswers.Answer(kind, messages.LastOrDefault(m => m.Role == "user").Text ?? "");

        // Timers run on a coarse clock (4 ms on Linux) and may fire early: the model never answers before its latency.
        TimeSpan wait;
        while ((wait = Latency - Stopwatch.GetElapsedTime(began)) > TimeSpan.Zero)
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), context.RequestAborted);
        // Taken before the answer is written: on a busy machine the bot may read it, and post its card, before this
        // handler runs again after the write.
        _calls.Enqueue(new ModelCall(kind, ModelAnswers.GoalId(messages), began, Stopwatch.GetTimestamp()));
        context.Response.ContentType = "application/json";
        if (content is null)
        {
            // 400, not 5xx: the client retries 5xx, and a request the suite has no answer for should show once.
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("""{"error":{"message":"the benchmark model has no answer for this request","type":"invalid_request_error"}}""", context.RequestAborted);
        }
        else
            await context.Response.WriteAsync(Completion(content).ToJsonString(), context.RequestAborted);
    }

    private JsonObject Completion(string content) => new()
    {
        ["id"] = "chatcmpl-bench-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture),
        ["object"] = "chat.completion",
        ["created"] = 1_750_000_000,
        ["model"] = ModelName,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 1000, ["completion_tokens"] = 100, ["total_tokens"] = 1100 },
    };

    /// <summary>The messages as (role, text); content given as parts is joined.</summary>
    private static List<(string Role, string Text)> Messages(JsonObject body) =>
        [.. (body["messages"] as JsonArray ?? []).OfType<JsonObject>().Select(m => ((m["role"] as JsonValue)?.GetValue<string>() ?? "", m["content"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => (p["text"] as JsonValue)?.GetValue<string>() ?? "")),
            _ => "",
        }))];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
