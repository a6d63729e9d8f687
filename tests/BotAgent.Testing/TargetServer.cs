using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BotAgent.Testing;

/// <summary>A loopback HTTP service for tools to act on: scripted answers per path, and a record of every hit.</summary>
public sealed class TargetServer : LoopbackServer
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<TargetResponse>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TargetHit> _hits = new();

    public static async Task<TargetServer> StartAsync()
    {
        var server = new TargetServer();
        await server.StartServerAsync();
        return server;
    }

    public IReadOnlyList<TargetHit> Hits => [.. _hits];

    public int HitCount(string path) => _hits.Count(h => h.Path == path);

    public string Url(string path) => BaseUrl + path;

    /// <summary>Queue answers for <paramref name="path"/>; the last one repeats once the others are used.</summary>
    public void Respond(string path, params TargetResponse[] responses)
    {
        var queue = new ConcurrentQueue<TargetResponse>(responses);
        _scripts[path] = queue;
    }

    protected override void Map(WebApplication app) => app.Run(HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _hits.Enqueue(new TargetHit(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "", headers, body));

        var response = new TargetResponse(200, "ok");
        if (_scripts.TryGetValue(context.Request.Path, out var queue))
        {
            if (queue.Count > 1 && queue.TryDequeue(out var next))
                response = next;
            else if (queue.TryPeek(out var last))
                response = last;
        }
        else
        {
            response = new TargetResponse(404, "not found");
        }

        if (response.Delay is { } delay)
            await Task.Delay(delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            context.Response.Headers[name] = value;
        await context.Response.WriteAsync(response.Body, context.RequestAborted);
    }
}

public sealed record TargetResponse(int Status, string Body, string ContentType = "text/plain", TimeSpan? Delay = null, IReadOnlyDictionary<string, string>? Headers = null);

public sealed record TargetHit(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);
