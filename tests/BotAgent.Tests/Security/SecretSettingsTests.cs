using System.Text.Json;
using BotAgent.Core.Tools;
using BotAgent.Testing;
using BotAgent.Tests.EndToEnd;
using BotAgent.Tests.Traces;

namespace BotAgent.Tests.Security;

/// <summary>
/// Every secret setting the sample configuration names, given a value and typed into a goal, reads
/// <c>[redacted]</c> on the run page, in its JSON, in the export and nowhere in the logs: one rule
/// (<see cref="SecretSettings"/>) decides for all of them, and for tools' environments.
/// </summary>
public sealed class SecretSettingsTests
{
    /// <summary>The settings in appsettings.sample.json that hold secrets, as a person reading it would list them.</summary>
    private static readonly string[] SampleSecrets =
    [
        "ConnectionStrings:BotAgent",
        "MicrosoftAppPassword",
        "DirectLine:Secret",
        "Slack:BotToken",
        "Slack:SigningSecret",
        "Slack:AppToken",
        "AzureOpenAI:ApiKey",
        "OpenAI:ApiKey",
        "Traces:AccessToken",
        "Traces:Entra:ClientSecret",
        "Mcp:Servers:tickets:Headers:Authorization",
    ];

    [Fact]
    public void The_rule_finds_exactly_the_secret_settings_of_the_sample_configuration()
    {
        var settings = SampleSettings();

        // Each setting with its sample value, or, where the sample leaves it empty (as it does every secret), a value of
        // the kind a person would put there; a connection string with a password in it.
        var found = settings
            .Where(s => SecretSettings.ValuesOf([new(s.Key, Filled(s.Key, s.Value))]).Any())
            .Select(s => s.Key)
            .Order(StringComparer.Ordinal);

        Assert.Equal(SampleSecrets.Order(StringComparer.Ordinal), found);
    }

    [Fact]
    public async Task Every_secret_setting_and_the_azure_client_secret_read_redacted_on_the_run_page_its_json_the_export_and_never_in_logs()
    {
        var values = new Dictionary<string, string?>
        {
            // The bot's own database keeps its plain connection string; the password rule is the same for any of them.
            ["ConnectionStrings:Reports"] = "Host=db.internal;Username=reader;Password=Conn3ction-Secr3t-Value",
            ["MicrosoftAppPassword"] = "App-Passw0rd-Secr3t-Value",
            ["Slack:BotToken"] = "xoxb-Slack-Bot-T0ken-Value",
            ["Slack:SigningSecret"] = "Slack-Signing-Secr3t-Value",
            ["Slack:AppToken"] = "xapp-Slack-App-T0ken-Value",
            ["Slack:ApiBaseUrl"] = "http://127.0.0.1:1/",
            ["AzureOpenAI:ApiKey"] = "Azure-Api-K3y-Secr3t-Value",
            ["OpenAI:ApiKey"] = "sk-OpenAI-Api-K3y-Value",
            ["Traces:AccessToken"] = "Trace-Access-T0ken-Secr3t-Value",
            ["Traces:Entra:TenantId"] = "00000000-0000-0000-0000-0000000000aa",
            ["Traces:Entra:ClientId"] = "00000000-0000-0000-0000-0000000000bb",
            ["Traces:Entra:Instance"] = "http://127.0.0.1:1/",
            ["Traces:Entra:AllowedGroups:0"] = "group-1",
            ["Traces:Entra:ClientSecret"] = "Entra-Client-Secr3t-Value",
            ["Mcp:Servers:tickets:Enabled"] = "false",
            ["Mcp:Servers:tickets:Url"] = "http://127.0.0.1:1/mcp",
            ["Mcp:Servers:tickets:Headers:Authorization"] = "Bearer Mcp-Header-Secr3t-Value",
            ["AZURE_CLIENT_SECRET"] = "Azure-Client-Secr3t-Env-Value",
            ["Logging:LogLevel:Default"] = "Debug",
        };
        var secrets = new[]
        {
            "Conn3ction-Secr3t-Value", "App-Passw0rd-Secr3t-Value", "xoxb-Slack-Bot-T0ken-Value", "Slack-Signing-Secr3t-Value",
            "xapp-Slack-App-T0ken-Value", "Azure-Api-K3y-Secr3t-Value", "sk-OpenAI-Api-K3y-Value", "Trace-Access-T0ken-Secr3t-Value",
            "Entra-Client-Secr3t-Value", "Mcp-Header-Secr3t-Value", "Azure-Client-Secr3t-Env-Value",
        };
        var logs = new InMemoryLoggerProvider();
        await using var s = await BotScenario.StartAsync(settings: values, configure: builder => logs.AddTo(builder.Logging));

        var goal = s.Activities.Message(BotScenario.Alice, "please use these: " + string.Join(" ", secrets));
        await s.Bot.PostActivityAsync(goal);
        await s.Channel.WaitForAsync(c => c.IsPost && c.ActivityId == goal["id"]!.GetValue<string>(), what: "the answer to the goal");
        var runId = await Eventually.GetAsync(async () =>
        {
            using var db = s.Bot.OpenDatabase();
            return await Dapper.SqlMapper.QuerySingleOrDefaultAsync<string>(db, "SELECT id FROM runs");
        }, "the run");

        var page = await TracePage.GetAsync(s.Bot, $"/runs/{runId}");
        var json = await (await s.Bot.GetAsync($"/runs/{runId}.json")).Content.ReadAsStringAsync();
        var exported = Path.Combine(s.Bot.Directory, "export.jsonl");
        Assert.Equal(0, await BotAgentCommands.TryRunAsync(
            ["export", "--run", runId, "--out", exported, $"--ConnectionStrings:BotAgent=Data Source={s.Bot.DatabasePath}",
             .. values.Select(v => $"--{v.Key}={v.Value}")]));
        var export = await File.ReadAllTextAsync(exported);

        Assert.Contains("[redacted]", page.Text);
        Assert.Contains("[redacted]", json);
        Assert.Contains("[redacted]", export);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, page.Html, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, export, StringComparison.Ordinal);
            Assert.DoesNotContain(logs.Lines, line => line.ToString().Contains(secret, StringComparison.Ordinal));
        }
    }

    private static string Filled(string key, string sample) =>
        key.StartsWith("ConnectionStrings:", StringComparison.Ordinal) ? sample + ";Password=a-password-value"
        : sample.Length == 0 ? "a-value-someone-typed-in"
        : sample;

    /// <summary>appsettings.sample.json flattened to configuration keys (comments allowed), with their sample values.</summary>
    private static Dictionary<string, string> SampleSettings()
    {
        var path = Path.Combine(RepositoryRoot(), "appsettings.sample.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        Flatten(document.RootElement, "", settings);
        return settings;
    }

    private static void Flatten(JsonElement element, string prefix, Dictionary<string, string> settings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Flatten(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}", settings);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    Flatten(item, $"{prefix}:{i++}", settings);
                break;
            default:
                settings[prefix] = element.ToString();
                break;
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "appsettings.sample.json")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("appsettings.sample.json not found above the test folder.");
    }
}
