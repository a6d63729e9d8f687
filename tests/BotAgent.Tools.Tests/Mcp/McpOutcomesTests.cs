using System.Text.Json;
using BotAgent.Core.Tools;
using BotAgent.Tools.Mcp;
using ModelContextProtocol.Protocol;

namespace BotAgent.Tools.Tests.Mcp;

/// <summary>How a tool call's result becomes an outcome for the card and the store.</summary>
public sealed class McpOutcomesTests
{
    [Fact]
    public void Text_blocks_are_joined_and_the_first_line_is_the_summary()
    {
        var outcome = McpOutcomes.From("demo", new CallToolResult
        {
            Content = [new TextContentBlock { Text = "\nfirst line\nsecond" }, new TextContentBlock { Text = "third" }],
        }, TimeSpan.FromMilliseconds(12));

        Assert.Equal(ToolStatus.Succeeded, outcome.Status);
        Assert.Equal("first line", outcome.Summary);
        Assert.Equal("\nfirst line\nsecond\nthird", outcome.Output);
        Assert.Contains(new KeyValuePair<string, string>("Server", "demo"), outcome.Facts!);
        Assert.Contains(new KeyValuePair<string, string>("Content", "2 text"), outcome.Facts!);
    }

    [Fact]
    public void Non_text_blocks_are_noted_not_dropped()
    {
        var outcome = McpOutcomes.From("demo", new CallToolResult
        {
            Content =
            [
                ImageContentBlock.FromBytes(new byte[] { 1, 2, 3 }, "image/png"),
                new ResourceLinkBlock { Uri = "file:///report.pdf", Name = "report" },
                new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "mem://note", Text = "note text" } },
            ],
        }, TimeSpan.Zero);

        Assert.Equal("[image: image/png]", outcome.Summary);
        Assert.Contains("[link: file:///report.pdf]", outcome.Output);
        Assert.Contains("[resource: mem://note]\nnote text", outcome.Output);
        Assert.Contains(new KeyValuePair<string, string>("Content", "1 image, 1 resource_link, 1 resource"), outcome.Facts!);
    }

    [Fact]
    public void Is_error_is_a_failure_with_the_text_as_reason_and_is_not_retried()
    {
        var outcome = McpOutcomes.From("demo", new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "disk full" }] }, TimeSpan.Zero);

        Assert.Equal(ToolStatus.Failed, outcome.Status);
        Assert.Equal("The tool reported an error: disk full", outcome.Summary);
        Assert.Equal("disk full", outcome.Error);
        Assert.False(outcome.Transient);
    }

    [Fact]
    public void Structured_content_stands_in_when_there_is_no_text()
    {
        var outcome = McpOutcomes.From("demo", new CallToolResult { StructuredContent = JsonSerializer.SerializeToElement(new { count = 3 }) }, TimeSpan.Zero);

        Assert.Equal("""{"count":3}""", outcome.Output);
    }

    [Fact]
    public void An_empty_result_says_so_and_a_long_line_is_cut_for_the_card()
    {
        Assert.Equal("Done; the tool returned no text", McpOutcomes.From("demo", new CallToolResult(), TimeSpan.Zero).Summary);

        var longLine = new string('x', 500);
        var outcome = McpOutcomes.From("demo", new CallToolResult { Content = [new TextContentBlock { Text = longLine }] }, TimeSpan.Zero);
        Assert.True(outcome.Summary.Length < 200);
        Assert.Equal(longLine, outcome.Output);
    }
}
