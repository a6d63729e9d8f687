using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Planning;

/// <summary>
/// Reads steps a user typed as a numbered list: <c>1. http.get https://…</c>, <c>2. logs.search pattern=timeout</c>
/// or <c>3. tool {"json": "args"}</c>. A bare first value fills the tool's primary argument.
/// </summary>
public static partial class TypedStepParser
{
    [GeneratedRegex(@"^\s*(?<n>\d{1,3})[.)]\s+(?<tool>[A-Za-z][\w.\-]*)\s*(?<rest>.*)$", RegexOptions.CultureInvariant, 200)]
    private static partial Regex StepLine();

    public sealed record TypedStep(string Tool, JsonObject Args, string Text);

    /// <summary>Splits a goal into its typed steps and the remaining free text.</summary>
    public static (IReadOnlyList<TypedStep> Steps, string Prose) Parse(string goal, Func<string, ToolDescriptor?> describe)
    {
        var steps = new List<TypedStep>();
        var prose = new StringBuilder();
        foreach (var rawLine in goal.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var match = StepLine().Match(line);
            if (!match.Success)
            {
                if (!string.IsNullOrWhiteSpace(line))
                    prose.AppendLine(line.Trim());
                continue;
            }

            var tool = match.Groups["tool"].Value;
            var rest = match.Groups["rest"].Value.Trim();
            steps.Add(new TypedStep(tool, ParseArgs(rest, describe(tool)?.PrimaryArgument), line.Trim()));
        }
        return (steps, prose.ToString().Trim());
    }

    private static JsonObject ParseArgs(string rest, string? primaryArgument)
    {
        if (rest.StartsWith('{'))
        {
            try
            {
                if (JsonNode.Parse(rest) is JsonObject json)
                    return json;
            }
            catch (JsonException)
            {
                // Not JSON after all: read it as words; policy will report what does not fit the schema.
            }
        }

        var args = new JsonObject();
        var positional = new List<string>();
        foreach (var (token, quoted) in Tokenize(rest))
        {
            // key=value only when the key is an identifier: a bare URL with a query string stays whole,
            // and a token that opens with a quote is always a value.
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            var isPair = !quoted && eq > 0 && IsIdentifier(token.AsSpan(0, eq));
            if (isPair)
                args[token[..eq]] = token[(eq + 1)..];
            else
                positional.Add(token);
        }

        if (positional.Count > 0)
            args[primaryArgument ?? "value"] = string.Join(' ', positional);
        return args;
    }

    private static bool IsIdentifier(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsLetterOrDigit(c) && c != '_')
                return false;
        }
        return true;
    }

    private static IEnumerable<(string Token, bool Quoted)> Tokenize(string text)
    {
        var current = new StringBuilder();
        var inQuotes = false;
        var wasQuoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                // A token that opens with a quote is one value ("status=500"); key="a b" is still a pair.
                if (current.Length == 0 && !inQuotes)
                    wasQuoted = true;
                inQuotes = !inQuotes;
                continue;
            }
            if (char.IsWhiteSpace(c) && !inQuotes)
            {
                if (current.Length > 0 || wasQuoted)
                {
                    yield return (current.ToString(), wasQuoted);
                    current.Clear();
                    wasQuoted = false;
                }
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0 || wasQuoted)
            yield return (current.ToString(), wasQuoted);
    }
}
