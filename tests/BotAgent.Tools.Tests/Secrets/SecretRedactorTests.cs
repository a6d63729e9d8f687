using BotAgent.Core.Tools;

namespace BotAgent.Tools.Tests.Secrets;

/// <summary>The redaction hook every tool result passes through.</summary>
public sealed class SecretRedactorTests
{
    [Fact]
    public void A_registered_secret_is_replaced_in_summary_output_error_and_facts()
    {
        var redactor = new SecretRedactor();
        redactor.Add("s3cr3t-value");
        var outcome = ToolOutcome.Failure(
            "failed with s3cr3t-value",
            "error s3cr3t-value",
            output: "body: s3cr3t-value and s3cr3t-value",
            facts: [new("Token", "s3cr3t-value")]);

        var shown = redactor.Redact(outcome);

        Assert.Equal("failed with [redacted]", shown.Summary);
        Assert.Equal("error [redacted]", shown.Error);
        Assert.Equal("body: [redacted] and [redacted]", shown.Output);
        Assert.Equal("[redacted]", Assert.Single(shown.Facts!).Value);
        Assert.Equal(outcome.Status, shown.Status);
    }

    [Fact]
    public void Forms_a_secret_takes_in_json_and_urls_are_replaced_too()
    {
        var redactor = new SecretRedactor();
        redactor.Add("p@ss \"word\"/x");

        Assert.Equal("""{"password":"[redacted]"}""", redactor.Redact("""{"password":"p@ss \"word\"/x"}"""));
        Assert.Equal("https://x.example/?k=[redacted]", redactor.Redact("https://x.example/?k=p%40ss%20%22word%22%2Fx"));
    }

    [Fact]
    public void A_secret_that_contains_another_is_replaced_whole()
    {
        var redactor = new SecretRedactor();
        redactor.Add("abcd");
        redactor.Add("abcd-efgh-ijkl");

        Assert.Equal("x [redacted] y [redacted]", redactor.Redact("x abcd-efgh-ijkl y abcd"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("on")]
    [InlineData("123")]
    public void Empty_and_very_short_values_are_not_registered(string? value)
    {
        var redactor = new SecretRedactor();
        redactor.Add(value);

        Assert.Equal(0, redactor.Count);
        Assert.Equal("turned on at 123", redactor.Redact("turned on at 123"));
    }

    [Fact]
    public void With_nothing_registered_an_outcome_is_returned_as_it_is()
    {
        var outcome = ToolOutcome.Success("ok", "body");

        Assert.Same(outcome, new SecretRedactor().Redact(outcome));
    }

    [Fact]
    public void The_host_composes_one_redactor_that_the_tools_fill()
    {
        using var host = ToolHost.Create(new Dictionary<string, string?>
        {
            ["Tools:Http:AllowedHosts:0"] = "*",
            ["Tools:Http:Headers:api.example.com:X-Api-Key"] = "http-key-123456",
        });

        _ = host.Tools; // tools register their secrets as they are built (the catalogue builds them all at start)

        Assert.Equal("key=[redacted]", host.Redactor.Redact("key=http-key-123456"));
    }
}
