using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Http;

/// <summary><c>http.get</c>: fetch a URL and report status, latency and an excerpt of the body. Read-only.</summary>
public sealed class HttpGetTool(HttpCaller caller, IOptions<HttpToolOptions> options) : ITool
{
    public const string HttpClientName = HttpCaller.HttpClientName;

    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "url": { "type": "string", "minLength": 1, "maxLength": 2048, "description": "Absolute http(s) URL to GET." },
            "headers": { "type": "object", "additionalProperties": { "type": "string", "maxLength": 4096 }, "description": "Extra request headers." }
          },
          "required": ["url"],
          "additionalProperties": false
        }
        """;

    public ToolDescriptor Descriptor { get; } = new(
        "http.get",
        "GET an http(s) URL; reports the status code, latency, content type and the start of the body.",
        JsonDocument.Parse(Schema).RootElement.Clone(),
        RiskLevel.ReadOnly,
        Idempotent: true,
        options.Value.Timeout,
        PrimaryArgument: "url");

    public IReadOnlyList<string> CheckArguments(JsonElement args) => caller.CheckArguments(args, Descriptor.Name);

    public IReadOnlyList<string> Targets(JsonElement args) => HttpCaller.Targets(args);

    public Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken) =>
        caller.SendAsync(
            HttpMethod.Get,
            new Uri(call.Args.GetProperty("url").GetString()!, UriKind.Absolute),
            call.Args.TryGetProperty("headers", out var headers) ? headers : default,
            body: null,
            cancellationToken);
}
