using BotAgent.Core.Tools;
using BotAgent.Traces;
using Microsoft.Extensions.Configuration;

namespace BotAgent.Tests.Traces;

/// <summary>What the trace pages and the export never show: this bot's secrets, bearer credentials, secret-named JSON fields.</summary>
public sealed class TraceRedactorTests
{
    private static readonly TraceRedactor Redactor = new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["MicrosoftAppPassword"] = "app-password-value",
        ["OpenAI:ApiKey"] = "sk-openai-value",
        ["Traces:AccessToken"] = "trace-access-token-value",
        ["Tools:Http:Headers:api.example.com:Authorization"] = "Token header-credential-value",
        ["ConnectionStrings:BotAgent"] = "Host=db;Username=bot;Password=db-password-value",
        ["Planner:MaxTokensPerRun"] = "100000",
    }).Build());

    [Theory]
    [InlineData("goal with app-password-value inside")]
    [InlineData("key sk-openai-value")]
    [InlineData("curl -H 'X: trace-access-token-value'")]
    [InlineData("echoed header-credential-value back")]
    [InlineData("Password=db-password-value;")]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature")]
    public void Secrets_in_text_are_replaced(string text)
    {
        var redacted = Redactor.Text(text)!;

        Assert.Contains("[redacted]", redacted);
        Assert.DoesNotContain("value", redacted.Replace("[redacted]", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("payload", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_that_are_not_secrets_are_left_alone()
    {
        Assert.Equal("100000 tokens, db, bot", Redactor.Text("100000 tokens, db, bot"));
    }

    [Fact]
    public void Json_fields_named_like_secrets_are_replaced_wherever_they_are_and_other_strings_are_redacted_as_text()
    {
        var json = """{"url":"https://x.example/?k=sk-openai-value","headers":{"Authorization":"anything at all","X-Trace":"keep"},"items":[{"password":"p"},"app-password-value"],"n":3}""";

        var redacted = Redactor.Json(json)!;

        Assert.Equal("""{"url":"https://x.example/?k=[redacted]","headers":{"Authorization":"[redacted]","X-Trace":"keep"},"items":[{"password":"[redacted]"},"[redacted]"],"n":3}""", redacted);
        Assert.Equal("not json [redacted]", Redactor.Json("not json sk-openai-value"));
    }

    [Fact]
    public void The_tools_redactor_is_applied_too()
    {
        var tools = new SecretRedactor();
        tools.Add("registered-by-a-tool");
        var redactor = new TraceRedactor(new ConfigurationBuilder().Build(), tools);

        Assert.Equal("x [redacted] y", redactor.Text("x registered-by-a-tool y"));
    }
}
