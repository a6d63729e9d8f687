using System.Text.Json;
using BotAgent.Core.Planning;
using BotAgent.Core.Policy;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Policy;

public sealed class CallKeyTests
{
    private static JsonElement Args(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Whitespace_in_the_arguments_JSON_does_not_change_the_key()
    {
        var compact = CallKey.Of("http.get", Args("""{"url":"https://a.example/x","headers":{"Accept":"text/plain"}}"""));
        var spaced = CallKey.Of("http.get", Args("""
            {
              "url" : "https://a.example/x",
              "headers" : { "Accept" : "text/plain" }
            }
            """));

        Assert.Equal(compact, spaced);
    }

    [Fact]
    public void A_recorded_attempts_arguments_text_has_the_same_key_as_the_step()
    {
        var step = new PlanStep("s1", "Get", "http.get", Args("""{"url":"https://a.example/x"}"""), RiskLevel.ReadOnly);

        Assert.Equal(CallKey.Of(step), CallKey.Of("http.get", """{ "url": "https://a.example/x" }"""));
    }

    [Fact]
    public void Tool_name_case_does_not_change_the_key()
    {
        Assert.Equal(CallKey.Of("HTTP.Get", Args("""{"url":"u"}""")), CallKey.Of("http.get", Args("""{"url":"u"}""")));
    }

    [Theory]
    [InlineData("""{"url":"https://a.example/y"}""")]
    [InlineData("""{"url":"https://a.example/X"}""")]
    [InlineData("""{"url":"https://a.example/x","method":"GET"}""")]
    public void Different_arguments_give_a_different_key(string other)
    {
        Assert.NotEqual(CallKey.Of("http.get", Args("""{"url":"https://a.example/x"}""")), CallKey.Of("http.get", Args(other)));
    }

    [Fact]
    public void Another_tool_with_the_same_arguments_gives_a_different_key()
    {
        Assert.NotEqual(CallKey.Of("http.get", Args("""{"url":"u"}""")), CallKey.Of("http.request", Args("""{"url":"u"}""")));
    }

    [Fact]
    public void Recorded_arguments_that_are_not_JSON_are_keyed_by_their_text()
    {
        Assert.Equal("http.get not json", CallKey.Of("HTTP.GET", "not json"));
    }

    [Fact]
    public void Missing_arguments_are_keyed_as_null()
    {
        Assert.Equal("http.get null", CallKey.Of("http.get", default(JsonElement)));
    }
}
