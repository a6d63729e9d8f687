using System.Text.Json.Nodes;
using BotAgent.Core.Planning;
using BotAgent.Core.Tests.Fakes;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Tests.Planning;

public sealed class TypedStepParserTests
{
    private static ToolDescriptor? Describe(string name) =>
        TestTools.All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    private static string? Text(JsonObject args, string name) => args[name]?.GetValue<string>();

    [Fact]
    public void Numbered_lines_with_a_dot_or_a_parenthesis_are_steps()
    {
        var (steps, prose) = TypedStepParser.Parse("1. http.get https://a.example\n2) logs.search timeout", Describe);

        Assert.Equal(["http.get", "logs.search"], steps.Select(s => s.Tool));
        Assert.Equal("", prose);
    }

    [Fact]
    public void Bare_value_fills_the_tools_primary_argument()
    {
        var (steps, _) = TypedStepParser.Parse("1. http.get https://example.com/health", Describe);

        var step = Assert.Single(steps);
        Assert.Equal("https://example.com/health", Text(step.Args, "url"));
        Assert.Single(step.Args);
    }

    [Fact]
    public void Several_bare_words_are_joined_into_the_primary_argument()
    {
        var (steps, _) = TypedStepParser.Parse("1. logs.search connection reset", Describe);

        Assert.Equal("connection reset", Text(Assert.Single(steps).Args, "pattern"));
    }

    [Fact]
    public void Bare_value_for_an_unknown_tool_goes_to_value()
    {
        var (steps, _) = TypedStepParser.Parse("1. shell.exec uptime", Describe);

        var step = Assert.Single(steps);
        Assert.Equal("shell.exec", step.Tool);
        Assert.Equal("uptime", Text(step.Args, "value"));
    }

    [Fact]
    public void Key_value_pairs_become_arguments()
    {
        var (steps, _) = TypedStepParser.Parse("1. files.write path=/tmp/out.txt content=hello", Describe);

        var args = Assert.Single(steps).Args;
        Assert.Equal("/tmp/out.txt", Text(args, "path"));
        Assert.Equal("hello", Text(args, "content"));
        Assert.Equal(2, args.Count);
    }

    [Fact]
    public void Key_value_pair_whose_value_is_a_url_names_the_argument()
    {
        var (steps, _) = TypedStepParser.Parse("1. http.get url=https://example.com/health", Describe);

        var args = Assert.Single(steps).Args;
        Assert.Equal("https://example.com/health", Text(args, "url"));
        Assert.Single(args);
    }

    [Fact]
    public void Equals_sign_inside_a_url_does_not_make_a_key_value_pair()
    {
        var (steps, _) = TypedStepParser.Parse("1. http.get https://example.com/search?q=a&b=c", Describe);

        Assert.Equal("https://example.com/search?q=a&b=c", Text(Assert.Single(steps).Args, "url"));
    }

    [Fact]
    public void Quoted_values_keep_their_spaces()
    {
        var (steps, _) = TypedStepParser.Parse("1. logs.search pattern=\"connection reset by peer\" since=\"2 hours\"", Describe);

        var args = Assert.Single(steps).Args;
        Assert.Equal("connection reset by peer", Text(args, "pattern"));
        Assert.Equal("2 hours", Text(args, "since"));
    }

    [Fact]
    public void Quoted_bare_value_with_an_equals_sign_fills_the_primary_argument()
    {
        // Searching the logs for the literal text status=500: the quotes say it is one value, not a pair.
        var (steps, _) = TypedStepParser.Parse("1. logs.search \"status=500\"", Describe);

        var args = Assert.Single(steps).Args;
        Assert.Equal("status=500", Text(args, "pattern"));
        Assert.Single(args);
    }

    [Fact]
    public void Key_with_a_value_containing_an_equals_sign_keeps_the_whole_value()
    {
        var (steps, _) = TypedStepParser.Parse("1. logs.search pattern=status=500", Describe);

        Assert.Equal("status=500", Text(Assert.Single(steps).Args, "pattern"));
    }

    [Fact]
    public void JSON_object_arguments_are_taken_as_they_are()
    {
        var (steps, _) = TypedStepParser.Parse("""1. http.get {"url": "https://example.com", "headers": {"Accept": "application/json"}}""", Describe);

        var args = Assert.Single(steps).Args;
        Assert.Equal("https://example.com", Text(args, "url"));
        Assert.Equal("application/json", args["headers"]!["Accept"]!.GetValue<string>());
    }

    [Fact]
    public void Malformed_JSON_arguments_are_read_as_words_instead_of_throwing()
    {
        var (steps, _) = TypedStepParser.Parse("1. logs.search {not json", Describe);

        Assert.Equal("{not json", Text(Assert.Single(steps).Args, "pattern"));
    }

    [Fact]
    public void Step_without_arguments_has_empty_arguments()
    {
        var (steps, _) = TypedStepParser.Parse("1. http.get", Describe);

        Assert.Empty(Assert.Single(steps).Args);
    }

    [Fact]
    public void Other_lines_are_prose_and_Windows_line_ends_are_ignored()
    {
        var (steps, prose) = TypedStepParser.Parse("Investigate latency\r\n1. http.get https://example.com/health\r\n\r\nthen report\r\n", Describe);

        Assert.Equal("https://example.com/health", Text(Assert.Single(steps).Args, "url"));
        Assert.Equal("Investigate latency" + Environment.NewLine + "then report", prose);
    }

    [Fact]
    public void Step_keeps_its_original_line_as_text()
    {
        var (steps, _) = TypedStepParser.Parse("  1. http.get https://example.com  ", Describe);

        Assert.Equal("1. http.get https://example.com", Assert.Single(steps).Text);
    }

    [Theory]
    [InlineData("check https://example.com")]
    [InlineData("1.http.get https://example.com")]
    [InlineData("1234. http.get https://example.com")]
    [InlineData("- http.get https://example.com")]
    public void Lines_that_are_not_numbered_steps_are_prose(string line)
    {
        var (steps, prose) = TypedStepParser.Parse(line, Describe);

        Assert.Empty(steps);
        Assert.Equal(line, prose);
    }
}
