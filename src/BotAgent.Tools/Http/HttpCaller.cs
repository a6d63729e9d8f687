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
/// (step headers never leave the origin the plan named), configured per-host headers added on every hop to
/// that host, body read up to the size cap, and the result normalised as a <see cref="ToolOutcome"/>.
/// </summary>
public sealed class HttpCaller
{
    public const string HttpClientName = "BotAgent.Tools.Http";

    private readonly IHttpClientFactory _httpClients;
    private readonly string _clientName;
    private readonly HostPolicy _hosts;
    private readonly TimeProvider _time;
    private readonly HttpToolOptions _options;
    private readonly Dictionary<string, KeyValuePair<string, string>[]> _hostHeaders = new(StringComparer.OrdinalIgnoreCase);

    public HttpCaller(IHttpClientFactory httpClients, HostPolicy hosts, TimeProvider time, IOptions<HttpToolOptions> options, SecretRedactor secrets)
        : this(httpClients, HttpClientName, hosts, time, options.Value)
    {
        secrets.AddRange(HeaderSecrets.Of(options.Value.Headers.Values.SelectMany(h => h.Values)));
    }

    /// <summary>A caller over another named client and host policy (<c>webhook.post</c> reaches only its configured targets).</summary>
    internal HttpCaller(IHttpClientFactory httpClients, string clientName, HostPolicy hosts, TimeProvider time, HttpToolOptions options)
    {
        _httpClients = httpClients;
        _clientName = clientName;
        _hosts = hosts;
        _time = time;
        _options = options;
        foreach (var (host, headers) in options.Headers)
            _hostHeaders[host.Trim().TrimEnd('.')] = [.. headers];
    }

    public Task<ToolOutcome> SendAsync(HttpMethod method, Uri url, JsonElement headers, HttpContent? body, CancellationToken cancellationToken) =>
        SendAsync(method, url, StepHeaders(headers), body, cancellationToken);

    /// <param name="headers">Headers for the origin of <paramref name="url"/> only; they are not sent after a redirect to another origin.</param>
    public async Task<ToolOutcome> SendAsync(HttpMethod method, Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, HttpContent? body, CancellationToken cancellationToken)
    {
        var origin = url.GetLeftPart(UriPartial.Authority);
        var read = method == HttpMethod.Get || method == HttpMethod.Head;
        var http = _httpClients.CreateClient(_clientName);
        var started = _time.GetTimestamp();
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                if (_hosts.CheckUrl(url) is { } refusal)
                    return ToolOutcome.Failure("Refused: " + refusal, refusal);

                using var request = new HttpRequestMessage(method, url) { Content = body };
                // The step's headers may carry credentials: they go to the origin the plan named, never to
                // another origin a redirect points at.
                var sameOrigin = string.Equals(url.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase);
                AddHeaders(request, sameOrigin ? headers : []);
                AddConfiguredHeaders(request, url);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (read && IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
                {
                    if (redirects >= _options.MaxRedirects)
                        return ToolOutcome.Failure($"Too many redirects (more than {_options.MaxRedirects})", "too many redirects");
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
            // Refused before anything was sent: nothing happened. Any other break may have come after the
            // target acted, which matters for writes.
            var neverSent = ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                && ex.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostNotFound };
            return ToolOutcome.Failure($"Request to {url.Host} failed: {ex.Message}", ex.Message, transient: true) with { MayHaveHappened = !neverSent };
        }
    }

    /// <summary>Refusals for a URL argument (and headers) that only this tool family can judge.</summary>
    public IReadOnlyList<string> CheckArguments(JsonElement args, string toolName)
    {
        if (!args.TryGetProperty("url", out var urlElement) || urlElement.ValueKind != JsonValueKind.String)
            return [$"{toolName} needs a 'url'"];
        if (!Uri.TryCreate(urlElement.GetString(), UriKind.Absolute, out var url))
            return [$"'{urlElement.GetString()}' is not an absolute URL"];
        if (_hosts.CheckUrl(url) is { } refusal)
            return [refusal];
        if (args.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object
            && headers.EnumerateObject().Any(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
            return ["the Host header cannot be set"];
        return [];
    }

    /// <summary>The origin the <c>url</c> argument names; empty when it is not an absolute http(s) URL.</summary>
    public static IReadOnlyList<string> Targets(JsonElement args) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String
            && ToolTargets.OriginOf(url.GetString()) is { } origin
            ? [origin]
            : [];

    private static KeyValuePair<string, string>[] StepHeaders(JsonElement headers) =>
        headers.ValueKind == JsonValueKind.Object
            ? [.. headers.EnumerateObject().Select(h => new KeyValuePair<string, string>(h.Name, h.Value.GetString() ?? ""))]
            : [];

    private static void AddHeaders(HttpRequestMessage request, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        request.Headers.UserAgent.ParseAdd("BotAgent/1.0");
        foreach (var (name, value) in headers)
            SetHeader(request, name, value);
    }

    // Looked up per hop by the hop's own host: a redirect to another host never carries them.
    private void AddConfiguredHeaders(HttpRequestMessage request, Uri url)
    {
        if (!_hostHeaders.TryGetValue(url.IdnHost.TrimEnd('.'), out var configured))
            return;
        foreach (var (name, value) in configured)
        {
            request.Headers.Remove(name);
            request.Content?.Headers.Remove(name);
            SetHeader(request, name, value);
        }
    }

    private static void SetHeader(HttpRequestMessage request, string name, string value)
    {
        if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content is not null)
            request.Content.Headers.TryAddWithoutValidation(name, value);
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private async Task<ToolOutcome> OutcomeAsync(Uri url, HttpResponseMessage response, long started, CancellationToken cancellationToken)
    {
        var (text, bytes, truncated) = await ReadBodyAsync(response, _options.MaxResponseBytes, cancellationToken);
        var latency = _time.GetElapsedTime(started);
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
        var measures = new ToolMeasures(Status: status);
        if (response.IsSuccessStatusCode)
            return ToolOutcome.Success(summary, text, facts) with { Measures = measures };
        var transient = status >= 500 || status is 408 or 429;
        return ToolOutcome.Failure(summary, $"HTTP {status} {response.ReasonPhrase}", transient, text, facts) with { Measures = measures };
    }

    /// <summary>The body as UTF-8 text, at most <paramref name="maxBytes"/> of it, and whether more was cut off.</summary>
    internal static async Task<(string Text, long Bytes, bool Truncated)> ReadBodyAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
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
