using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using BotAgent.Tools.Http;
using Microsoft.Extensions.Options;

namespace BotAgent.Tools.Webhook;

/// <summary>
/// <c>webhook.post</c>: POST a JSON payload to a configured target (a ticket system, a chat webhook). A write; every
/// attempt of one step carries the same <c>Idempotency-Key</c>, so a receiver that honours it acts once however
/// often a transient failure makes the executor retry, which is why the tool is declared idempotent.
/// </summary>
internal sealed class WebhookPostTool : ITool
{
    public const string HttpClientName = "BotAgent.Tools.Webhook";
    public const string IdempotencyHeader = "Idempotency-Key";

    private readonly WebhookOptions _options;
    private readonly HttpCaller _caller;

    public WebhookPostTool(IHttpClientFactory httpClients, TimeProvider time, IOptions<WebhookOptions> options, SecretRedactor secrets)
    {
        _options = options.Value;
        _caller = new HttpCaller(httpClients, HttpClientName, HostPolicyFor(_options), time, new HttpToolOptions { MaxResponseBytes = _options.MaxResponseBytes, MaxRedirects = 0 });
        foreach (var target in _options.Targets.Values)
        {
            secrets.Add(target.Url?.OriginalString);
            secrets.Add(target.Url?.AbsoluteUri);
            secrets.AddRange(HeaderSecrets.Of(target.Headers.Values));
        }
        var names = _options.Targets.Keys.Order(StringComparer.Ordinal).ToArray();
        Descriptor = new ToolDescriptor(
            "webhook.post",
            $"POST a JSON object to a configured webhook target ({string.Join(", ", names)}), e.g. to open a ticket or notify a channel; reports the status and the start of the answer.",
            Schema(names),
            RiskLevel.Write,
            Idempotent: true,
            _options.Timeout,
            PrimaryArgument: "target",
            // By name, never by URL: incoming-webhook URLs carry their secret.
            Targets: [.. names.Select(ToolTargets.Webhook)]);
    }

    public ToolDescriptor Descriptor { get; }

    /// <summary>
    /// Only the configured targets' hosts, which count as explicitly allowed (private and loopback addresses
    /// included): an administrator named them. The connector checks resolved addresses against the same list.
    /// </summary>
    internal static HostPolicy HostPolicyFor(WebhookOptions options) => new(Options.Create(new HttpToolOptions
    {
        AllowedHosts = [.. options.Targets.Values.Where(t => t.Url is { IsAbsoluteUri: true }).Select(t => t.Url!.IdnHost.Trim('[', ']')).Distinct(StringComparer.OrdinalIgnoreCase)],
    }));

    public IReadOnlyList<string> CheckArguments(JsonElement args)
    {
        var refusals = new List<string>();
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.String)
            refusals.Add($"webhook.post needs a 'target': one of {string.Join(", ", _options.Targets.Keys)}");
        else if (!_options.Targets.ContainsKey(target.GetString()!))
            refusals.Add($"there is no webhook target '{target.GetString()}' (Tools:Webhook:Targets has {string.Join(", ", _options.Targets.Keys)})");
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            refusals.Add("webhook.post needs a 'payload' that is a JSON object");
        return refusals;
    }

    public IReadOnlyList<string> Targets(JsonElement args) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty("target", out var target) && target.ValueKind == JsonValueKind.String
            && ConfiguredName(target.GetString()!) is { } name
            ? [ToolTargets.Webhook(name)]
            : [];

    public async Task<ToolOutcome> InvokeAsync(ToolCall call, CancellationToken cancellationToken)
    {
        if (CheckArguments(call.Args) is [var refusal, ..])
            return ToolOutcome.Failure("Refused: " + refusal, refusal);
        var name = call.Args.GetProperty("target").GetString()!;
        var target = _options.Targets[name];
        using var body = new StringContent(call.Args.GetProperty("payload").GetRawText(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        List<KeyValuePair<string, string>> headers = [.. target.Headers, new(IdempotencyHeader, call.IdempotencyKey)];

        var outcome = await _caller.SendAsync(HttpMethod.Post, target.Url!, headers, body, cancellationToken);
        // The URL is not shown: incoming-webhook URLs carry their secret in the path.
        List<KeyValuePair<string, string>> facts = [new("Target", name), .. (outcome.Facts ?? []).Where(f => f.Key != "URL"), new(IdempotencyHeader, call.IdempotencyKey)];
        return outcome with { Summary = $"{name}: {outcome.Summary}", Facts = facts };
    }

    // A step may spell a name in another case (the lookup ignores case); its target is spelt as configured, so it
    // compares equal to the descriptor's.
    private string? ConfiguredName(string name) =>
        _options.Targets.Keys.FirstOrDefault(key => _options.Targets.Comparer.Equals(key, name));

    private static JsonElement Schema(string[] names) => JsonSerializer.SerializeToElement(new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["target"] = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray([.. names.Select(n => (JsonNode)n)]),
                ["description"] = "The configured target to post to.",
            },
            ["payload"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "The JSON object to send as the request body.",
            },
        },
        ["required"] = new JsonArray("target", "payload"),
        ["additionalProperties"] = false,
    });
}
