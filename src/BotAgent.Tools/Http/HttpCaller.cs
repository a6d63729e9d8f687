using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Http;

/// <summary>
/// Makes one HTTP call for the HTTP tools: host policy on every hop, redirects followed only for reads
/// (step headers never leave the origin the plan named), body read up to the size cap, and the result
/// normalised as a <see cref="ToolOutcome"/>.
/// </summary>
public sealed class HttpCaller(IHttpClientFactory httpClients, HostPolicy hosts, TimeProvider time, IOptions<HttpToolOptions> options)
{
    public const string HttpClientName = "BotAgent.Tools.Http";

    public async Task<ToolOutcome> SendAsync(HttpMethod method, Uri url, JsonElement headers, HttpContent? body, CancellationToken cancellationToken)
    {
        var origin = url.GetLeftPart(UriPartial.Authority);
        var read = method == HttpMethod.Get || method == HttpMethod.Head;
        var http = httpClients.CreateClient(HttpClientName);
        var started = time.GetTimestamp();
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                if (hosts.CheckUrl(url) is { } refusal)
                    return ToolOutcome.Failure("Refused: " + refusal, refusal);

                using var request = new HttpRequestMessage(method, url) { Content = body };
                // The step's headers may carry credentials: they go to the origin the plan named, never to
                // another origin a redirect points at.
                var sameOrigin = string.Equals(url.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase);
                AddHeaders(request, sameOrigin ? headers : default);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (read && IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
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

    /// <summary>Refusals for a URL argument (and headers) that only this tool family can judge.</summary>
    public IReadOnlyList<string> CheckArguments(JsonElement args, string toolName)
    {
        if (!args.TryGetProperty("url", out var urlElement) || urlElement.ValueKind != JsonValueKind.String)
            return [$"{toolName} needs a 'url'"];
        if (!Uri.TryCreate(urlElement.GetString(), UriKind.Absolute, out var url))
            return [$"'{urlElement.GetString()}' is not an absolute URL"];
        if (hosts.CheckUrl(url) is { } refusal)
            return [refusal];
        if (args.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object
            && headers.EnumerateObject().Any(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
            return ["the Host header cannot be set"];
        return [];
    }

    private static void AddHeaders(HttpRequestMessage request, JsonElement headers)
    {
        request.Headers.UserAgent.ParseAdd("BotAgent/1.0");
        if (headers.ValueKind != JsonValueKind.Object)
            return;
        foreach (var header in headers.EnumerateObject())
        {
            if (!request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString()) && request.Content is not null)
                request.Content.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
        }
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private async Task<ToolOutcome> OutcomeAsync(Uri url, HttpResponseMessage response, long started, CancellationToken cancellationToken)
    {
        var (text, bytes, truncated) = await ReadBodyAsync(response, options.Value.MaxResponseBytes, cancellationToken);
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
            return ToolOutcome.Success(summary, text, facts);
        var transient = status >= 500 || status is 408 or 429;
        return ToolOutcome.Failure(summary, $"HTTP {status} {response.ReasonPhrase}", transient, text, facts);
    }

    private static async Task<(string Text, long Bytes, bool Truncated)> ReadBodyAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        var truncated = false;
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            var room = maxBytes - (int)buffer.Length;
            if (read > room)
            {
                buffer.Write(chunk, 0, room);
                truncated = true;
                break;
            }
            buffer.Write(chunk, 0, read);
        }
        if (!truncated && buffer.Length == maxBytes)
            truncated = await stream.ReadAsync(chunk.AsMemory(0, 1), cancellationToken) > 0;
        return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), buffer.Length, truncated);
    }

    /// <summary>A request body from the <c>body</c> argument: a string as given, anything else as JSON.</summary>
    public static HttpContent? Body(JsonElement args)
    {
        if (!args.TryGetProperty("body", out var body) || body.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return null;
        return body.ValueKind == JsonValueKind.String
            ? new StringContent(body.GetString()!, Encoding.UTF8, "text/plain")
            : new StringContent(body.GetRawText(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
    }
}
