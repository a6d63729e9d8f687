using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotAgent.Core.Execution;
using BotAgent.Core.Planning;
using BotAgent.Core.Tools;
using BotAgent.Core.Traces;

namespace BotAgent.Traces;

/// <summary>
/// Takes secrets out of a ledger before anyone sees it. Tool results were redacted before they were stored
/// (<see cref="SecretRedactor"/>); this is the second line for everything else a trace carries (goals typed
/// with a token in them, arguments, model output): the secrets in this bot's configuration, bearer
/// credentials, and JSON properties named like secrets.
/// </summary>
public sealed partial class TraceRedactor
{
    /// <summary>JSON property names whose values are replaced wherever they appear.</summary>
    private static readonly HashSet<string> SecretProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "apikey", "api_key",
        "password", "passwd", "secret", "client_secret", "clientSecret", "token", "access_token", "accessToken",
        "refresh_token", "refreshToken",
    };

    private readonly SecretRedactor _configured = new();
    private readonly SecretRedactor? _tools;

    /// <param name="tools">The tools' redactor, when the bot has one (it knows the secrets tools were given).</param>
    public TraceRedactor(IConfiguration configuration, SecretRedactor? tools = null)
    {
        _tools = tools;
        // The same rule as tools' environments (SecretSettings): every setting named like a credential, header
        // values, passwords in connection strings and URLs, AZURE_CLIENT_SECRET and the like from the environment.
        _configured.AddRange(SecretSettings.ValuesOf(configuration.AsEnumerable()));
    }

    public string? Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        var redacted = _configured.Redact(_tools?.Redact(text) ?? text);
        return BearerCredential().Replace(redacted, "$1" + SecretRedactor.Replacement);
    }

    /// <summary>JSON text with secret-named properties and secret values replaced; text that is not JSON is redacted as text.</summary>
    public string? Json(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return json;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return Text(json);
        }
        if (node is JsonValue root)
            return Redacted(root).ToJsonString();
        if (node is not null)
            Scrub(node);
        return node?.ToJsonString() ?? json;
    }

    public RunLedger Ledger(RunLedger ledger) => ledger with
    {
        Run = ledger.Run with { Goal = Text(ledger.Run.Goal)!, Outcome = Text(ledger.Run.Outcome) },
        Plans = [.. ledger.Plans.Select(Plan)],
        Attempts = [.. ledger.Attempts.Select(Attempt)],
        Events = [.. ledger.Events.Select(e => e with { DataJson = Json(e.DataJson) })],
    };

    private PlanVersion Plan(PlanVersion version) => version with
    {
        Plan = version.Plan with
        {
            Goal = Text(version.Plan.Goal)!,
            SuccessCriteria = Text(version.Plan.SuccessCriteria)!,
            Steps = [.. version.Plan.Steps.Select(s => s with { Title = Text(s.Title)!, Args = Element(s.Args) })],
        },
    };

    private StepAttempt Attempt(StepAttempt attempt) => attempt with
    {
        ArgsJson = Json(attempt.ArgsJson)!,
        Summary = Text(attempt.Summary),
        Output = Text(attempt.Output),
        Error = Text(attempt.Error),
    };

    private JsonElement Element(JsonElement element) =>
        JsonDocument.Parse(Json(element.GetRawText())!).RootElement.Clone();

    /// <summary>Replaces, in place, secret-named properties' values and secrets inside every string.</summary>
    private void Scrub(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            foreach (var name in obj.Select(p => p.Key).ToList())
            {
                if (SecretProperties.Contains(name) && obj[name] is JsonValue)
                    obj[name] = SecretRedactor.Replacement;
                else if (obj[name] is JsonValue child)
                    obj[name] = Redacted(child);
                else if (obj[name] is { } nested)
                    Scrub(nested);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonValue item)
                    array[i] = Redacted(item);
                else if (array[i] is { } nested)
                    Scrub(nested);
            }
        }
    }

    private JsonValue Redacted(JsonValue value) =>
        value.TryGetValue<string>(out var text) ? JsonValue.Create(Text(text))! : value.DeepClone().AsValue();

    [GeneratedRegex(@"(\bBearer\s+)[A-Za-z0-9\-._~+/]{8,}=*", RegexOptions.IgnoreCase)]
    private static partial Regex BearerCredential();
}
