using System.Collections.Concurrent;
using BotAgent.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BotAgent.Tools.Tests.Prometheus;

/// <summary>
/// A Prometheus-compatible HTTP API on loopback: <c>/api/v1/query</c> and <c>/api/v1/query_range</c> (under any
/// path prefix) answer with the JSON scripted for the query text, and every request is recorded.
/// </summary>
internal sealed class PrometheusTestServer : LoopbackServer
{
    private readonly ConcurrentDictionary<string, (int Status, string Json)> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<PrometheusHit> _hits = new();

    public static async Task<PrometheusTestServer> StartAsync()
    {
        var server = new PrometheusTestServer();
        await server.StartServerAsync();
        return server;
    }

    public IReadOnlyList<PrometheusHit> Hits => [.. _hits];

    public void Answer(string query, string json, int status = 200) => _answers[query] = (status, json);

    protected override void Map(WebApplication app) => app.Run(HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var parameters = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _hits.Enqueue(new PrometheusHit(request.Method, request.Path, parameters, headers));

        context.Response.ContentType = "application/json";
        if (!request.Path.Value!.EndsWith("/api/v1/query", StringComparison.Ordinal) && !request.Path.Value.EndsWith("/api/v1/query_range", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("""{"status":"error","errorType":"not_found","error":"no such endpoint"}""");
            return;
        }
        var query = parameters.GetValueOrDefault("query", "");
        var (status, json) = _answers.TryGetValue(query, out var answer)
            ? answer
            : (400, $$"""{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:1: parse error: unexpected {{query.Length}}"}""");
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(json);
    }
}

internal sealed record PrometheusHit(string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers);
