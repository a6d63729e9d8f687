using System.Globalization;
using System.Text;
using BotAgent.Core.Tools;
using ModelContextProtocol.Protocol;

namespace BotAgent.Tools.Mcp;

/// <summary>A tool call's result as a <see cref="ToolOutcome"/>: its text blocks joined, other blocks noted, <c>isError</c> a failure.</summary>
internal static class McpOutcomes
{
    private const int SummaryLength = 160;

    public static ToolOutcome From(string server, CallToolResult result, TimeSpan latency)
    {
        var (output, blocks) = Render(result);
        var firstLine = FirstLine(output);
        List<KeyValuePair<string, string>> facts =
        [
            new("Server", server),
            new("Latency", string.Create(CultureInfo.InvariantCulture, $"{latency.TotalMilliseconds:0} ms")),
            new("Content", blocks),
        ];
        if (result.IsError == true)
        {
            var summary = firstLine is null ? "The tool reported an error" : "The tool reported an error: " + firstLine;
            return ToolOutcome.Failure(summary, firstLine ?? "the tool reported an error", transient: false, output, facts);
        }
        return ToolOutcome.Success(firstLine ?? "Done; the tool returned no text", output, facts);
    }

    private static (string? Output, string Blocks) Render(CallToolResult result)
    {
        var text = new StringBuilder();
        var kinds = new List<string>();
        foreach (var block in result.Content ?? [])
        {
            kinds.Add(block.Type);
            var part = block switch
            {
                TextContentBlock t => t.Text,
                ImageContentBlock i => $"[image: {i.MimeType}]",
                AudioContentBlock a => $"[audio: {a.MimeType}]",
                EmbeddedResourceBlock { Resource: TextResourceContents r } => $"[resource: {r.Uri}]\n{r.Text}",
                EmbeddedResourceBlock r => $"[resource: {r.Resource.Uri}, {r.Resource.MimeType ?? "binary"}]",
                ResourceLinkBlock l => $"[link: {l.Uri}]",
                _ => $"[{block.Type}]",
            };
            if (text.Length > 0)
                text.Append('\n');
            text.Append(part);
        }
        // Structured content stands in for text only when a tool returned none (the SDK mirrors it as text otherwise).
        if (text.Length == 0 && result.StructuredContent is { } structured)
        {
            kinds.Add("structured");
            text.Append(structured.GetRawText());
        }
        var blocks = kinds.Count == 0
            ? "none"
            : string.Join(", ", kinds.GroupBy(k => k, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
        return (text.Length == 0 ? null : text.ToString(), blocks);
    }

    private static string? FirstLine(string? output)
    {
        var line = output?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return line is null || line.Length <= SummaryLength ? line : line[..SummaryLength] + "…";
    }
}
