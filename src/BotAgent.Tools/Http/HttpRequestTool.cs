using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Http;

/// <summary>
/// <c>http.request</c>: any method. GET and HEAD read (read_only, safe to retry); every other method
/// writes, is not repeated after a failure, and a call whose outcome is unknown goes to a person.
/// </summary>
public sealed class HttpRequestTool(HttpCaller caller, IOptions<HttpToolOptions> options) : ITool
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "url": { "type": "string", "minLength": 1, "maxLength": 2048, "description": "Absolute http(s) URL." },
            "method": { "type": "string", "enum": ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"], "description": "HTTP method (default GET)." },
            "headers": { "type": "object", "additionalProperties": { "type": "string", "maxLength": 4096 } },
            "body": { "description": "Request body: a string is sent as text, anything else as JSON." }
          },
          "required": ["url"],
          "additionalProperties": false
        }
        """;

    public ToolDescriptor Descriptor { get; } = new(
        "http.request",
        "Send an HTTP request (GET, HEAD, POST, PUT, PATCH, DELETE) with optional headers and body; reports status, latency and the start of the response.",
        JsonDocument.Parse(Schema).RootElement.Clone(),
        RiskLevel.ReadOnly,
        Idempotent: false,
        options.Value.Timeout,
        PrimaryArgument: "url");

    public ToolTraits Assess(JsonElement args) => IsRead(Method(args))
        ? new ToolTraits(RiskLevel.ReadOnly, Idempotent: true)
        : new ToolTraits(RiskLevel.Write, Idempotent: false);

    public IReadOnlyList<string> CheckArguments(JsonElement args) => caller.CheckArguments(args, Descriptor.Name);

    public IReadOnlyList<string> Targets(JsonElement args) => HttpCaller.Targets(args);

    public Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var method = Method(call.Args);
        return caller.SendAsync(
            method,
            new Uri(call.Args.GetProperty("url").GetString()!, UriKind.Absolute),
            call.Args.TryGetProperty("headers", out var headers) ? headers : default,
            IsRead(method) ? null : HttpCaller.Body(call.Args),
            cancellationToken);
    }

    private static HttpMethod Method(JsonElement args) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String
            ? HttpMethod.Parse(m.GetString()!.ToUpperInvariant())
            : HttpMethod.Get;

    private static bool IsRead(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Head;
}
