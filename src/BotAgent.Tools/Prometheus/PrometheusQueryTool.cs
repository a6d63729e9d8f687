using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using BotAgent.Tools.Http;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Prometheus;

/// <summary>
/// <c>prometheus.query</c>: an instant or range PromQL query against the configured server, summarised for the
/// card (series, min/max/last, short label sets). Read-only. Errors Prometheus reports come back as they are.
/// </summary>
internal sealed class PrometheusQueryTool : ITool
{
    public const string HttpClientName = "BotAgent.Tools.Prometheus";

    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "query": { "type": "string", "minLength": 1, "maxLength": 8000, "description": "PromQL expression." },
            "start": { "type": "string", "maxLength": 64, "description": "Start of a range query: RFC 3339, Unix seconds, now or now-1h. Without it the query is instant." },
            "end": { "type": "string", "maxLength": 64, "description": "End of a range query (default now)." },
            "step": { "type": "string", "maxLength": 32, "description": "Resolution of a range query: 15s, 1m, 5m (default: about 250 points)." }
          },
          "required": ["query"],
          "additionalProperties": false
        }
        """;

    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly PrometheusOptions _options;

    public PrometheusQueryTool(IHttpClientFactory httpClients, TimeProvider time, IOptions<PrometheusOptions> options, SecretRedactor secrets)
    {
        _httpClients = httpClients;
        _time = time;
        _options = options.Value;
        secrets.AddRange(HeaderSecrets.Of(_options.Headers.Values));
        Descriptor = new ToolDescriptor(
            "prometheus.query",
            "Run a PromQL query on Prometheus, instant or over a range (start, end, step); reports the series with min, max and last values.",
            JsonDocument.Parse(Schema).RootElement.Clone(),
            RiskLevel.ReadOnly,
            Idempotent: true,
            _options.Timeout,
            PrimaryArgument: "query",
            Targets: _options.BaseUrl is { IsAbsoluteUri: true } server ? [ToolTargets.Prometheus(server)] : []);
    }

    public ToolDescriptor Descriptor { get; }

    // Every query goes to the one configured server, whatever it asks.
    public IReadOnlyList<string> Targets(JsonElement args) => Descriptor.Targets!;

    public IReadOnlyList<string> CheckArguments(JsonElement args) =>
        PrometheusRequest.TryRead(args, _time.GetUtcNow(), out _) is { } refusal ? [refusal] : [];

    public async Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken)
    {
        if (PrometheusRequest.TryRead(call.Args, _time.GetUtcNow(), out var query) is { } refusal)
            return ToolOutcome.Failure("Refused: " + refusal, refusal);

        var url = new Uri(new Uri(_options.BaseUrl!.AbsoluteUri.TrimEnd('/') + "/"), query!.PathAndQuery());
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.UserAgent.ParseAdd("BotAgent/1.0");
        foreach (var (name, value) in _options.Headers)
            request.Headers.TryAddWithoutValidation(name, value);

        var where = $"Prometheus at {url.Authority}";
        try
        {
            using var response = await _httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var (body, _, truncated) = await HttpCaller.ReadBodyAsync(response, _options.MaxResponseBytes, cancellationToken);
            var status = (int)response.StatusCode;
            if (truncated)
                return ToolOutcome.Failure($"{where} answered with more than {_options.MaxResponseBytes:N0} bytes", "the response is larger than Tools:Prometheus:MaxResponseBytes; narrow the query or use a larger step");
            return Read(body, status, where, query);
        }
        catch (HttpRequestException ex)
        {
            return ToolOutcome.Failure($"{where} is unreachable: {ex.Message}", ex.Message, transient: true);
        }
    }

    private ToolOutcome Read(string body, int status, string where, PrometheusRequest query)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            var excerpt = body.Length > 200 ? body[..200] + "…" : body;
            return ToolOutcome.Failure($"{where} answered HTTP {status} with something that is not Prometheus API JSON", $"HTTP {status}: {excerpt}", transient: status >= 500);
        }

        using var owned = document;
        var root = owned.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return ToolOutcome.Failure($"{where} answered HTTP {status} with JSON that is not a Prometheus API response", $"HTTP {status}: unexpected JSON", transient: status >= 500);
        var outcome = root.TryGetProperty("status", out var s) ? s.ToString() : null;
        if (outcome == "success" && root.TryGetProperty("data", out var data))
            return PrometheusResult.Summarise(data, Warnings(root), query, _options.MaxSeries);

        var errorType = root.TryGetProperty("errorType", out var et) ? et.ToString() : null;
        var error = root.TryGetProperty("error", out var e) ? e.ToString() : null;
        var message = $"{errorType ?? "error"}: {error ?? $"HTTP {status} without an error message"}";
        // Prometheus says timeout or unavailable when a retry may work; bad_data and execution errors will not change.
        var transient = errorType is "timeout" or "unavailable" || (errorType is null && status >= 500);
        return ToolOutcome.Failure($"Prometheus refused the query ({message})", message, transient);
    }

    private static IReadOnlyList<string> Warnings(JsonElement root) =>
        root.TryGetProperty("warnings", out var w) && w.ValueKind == JsonValueKind.Array
            ? [.. w.EnumerateArray().Select(x => x.ToString())]
            : [];
}
