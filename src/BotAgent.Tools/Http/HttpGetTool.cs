using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Http;

/// <summary><c>http.get</c>: fetch a URL and report status, latency and an excerpt of the body. Read-only.</summary>
public sealed class HttpGetTool(IHttpClientFactory httpClients, HostPolicy hosts, TimeProvider time, IOptions<HttpToolOptions> options) : ITool
{
    public const string HttpClientName = "BotAgent.Tools.Http";

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

    public IReadOnlyList<string> CheckArguments(JsonElement args)
    {
        if (!args.TryGetProperty("url", out var urlElement) || urlElement.ValueKind != JsonValueKind.String)
            return ["http.get needs a 'url'"];
        if (!Uri.TryCreate(urlElement.GetString(), UriKind.Absolute, out var url))
            return [$"'{urlElement.GetString()}' is not an absolute URL"];
        var refusal = hosts.CheckUrl(url);
        if (refusal is not null)
            return [refusal];
        if (args.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object
            && headers.EnumerateObject().Any(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
            return ["the Host header cannot be set"];
        return [];
    }

    public async Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var url = new Uri(call.Args.GetProperty("url").GetString()!, UriKind.Absolute);
        var origin = url.GetLeftPart(UriPartial.Authority);
        var http = httpClients.CreateClient(HttpClientName);
        var started = time.GetTimestamp();
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                if (hosts.CheckUrl(url) is { } refusal)
                    return ToolOutcome.Failure("Refused: " + refusal, refusal);

                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                // The step's headers may carry credentials: they go to the origin the plan named, never to
                // another origin a redirect points at.
                var sameOrigin = string.Equals(url.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase);
                AddHeaders(request, sameOrigin ? call.Args : default);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
                {
                    if (redirects >= options.Value.MaxRedirects)
                        return ToolOutcome.Failure($"Too many redirects (more than {options.Value.MaxRedirects})", "too many redirects");
                    url = new Uri(url, location);
                    continue;
                }
                return await OutcomeAsync(url, response, started, cancellationToken);
            }
        }
        catch (HttpRequestException ex) when (ex.InnerException is HostRefusedException refused)
        {
            return ToolOutcome.Failure("Refused: " + refused.Message, refused.Message);
        }
        catch (HttpRequestException ex)
        {
            return ToolOutcome.Failure($"Request to {url.Host} failed: {ex.Message}", ex.Message, transient: true);
        }
    }

    private static void AddHeaders(HttpRequestMessage request, JsonElement args)
    {
        request.Headers.UserAgent.ParseAdd("BotAgent/1.0");
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty("headers", out var headers) || headers.ValueKind != JsonValueKind.Object)
            return;
        foreach (var header in headers.EnumerateObject())
            request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private async Task<ToolOutcome> OutcomeAsync(Uri url, HttpResponseMessage response, long started, CancellationToken cancellationToken)
    {
        var (body, bytes, truncated) = await ReadBodyAsync(response, options.Value.MaxResponseBytes, cancellationToken);
        var latency = time.GetElapsedTime(started);
        var status = (int)response.StatusCode;
        var contentType = response.Content.Headers.ContentType?.ToString() ?? "";
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"HTTP {status} {response.ReasonPhrase} in {latency.TotalMilliseconds:0} ms · {bytes:N0} bytes{(truncated ? " (truncated)" : "")}");
        List<KeyValuePair<string, string>> facts =
        [
            new("URL", url.ToString()),
            new("Status", $"{status} {response.ReasonPhrase}"),
            new("Latency", string.Create(CultureInfo.InvariantCulture, $"{latency.TotalMilliseconds:0} ms")),
            new("Content-Type", contentType),
            new("Bytes", bytes.ToString(CultureInfo.InvariantCulture)),
        ];
        if (response.IsSuccessStatusCode)
            return ToolOutcome.Success(summary, body, facts);
        var transient = status >= 500 || status is 408 or 429;
        return ToolOutcome.Failure(summary, $"HTTP {status} {response.ReasonPhrase}", transient, body, facts);
    }

    private static async Task<(string Body, long Bytes, bool Truncated)> ReadBodyAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[maxBytes];
        var filled = 0;
        int read;
        while (filled < maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(filled, maxBytes - filled), cancellationToken)) > 0)
            filled += read;
        var truncated = filled == maxBytes && await stream.ReadAsync(new byte[1], cancellationToken) > 0;
        var encoding = Encoding.UTF8;
        return (encoding.GetString(buffer, 0, filled), filled, truncated);
    }
}
