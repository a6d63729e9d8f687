using System.Text;
using System.Text.Json;

namespace BotAgent.Core.Reporting;

/// <summary>Shortens text for cards and threads; the store always keeps the whole text.</summary>
public static class TextExcerpt
{
    public static string Truncate(string text, int maxChars)
    {
        if (text.Length <= maxChars)
            return text;
        var cut = Math.Max(0, maxChars - 1);
        // Never split a surrogate pair.
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
            cut--;
        return text[..cut] + "…";
    }

    /// <summary>A one-line, short form of a step's arguments for the card: <c>url=https://… · headers={1}</c>.</summary>
    public static string Arguments(JsonElement args, int maxChars = 160)
    {
        if (args.ValueKind != JsonValueKind.Object)
            return Truncate(args.GetRawText(), maxChars);
        var builder = new StringBuilder();
        foreach (var property in args.EnumerateObject())
        {
            if (builder.Length > 0)
                builder.Append(" · ");
            builder.Append(property.Name).Append('=');
            builder.Append(property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Object => $"{{{property.Value.EnumerateObject().Count()}}}",
                JsonValueKind.Array => $"[{property.Value.GetArrayLength()}]",
                _ => property.Value.GetRawText(),
            });
        }
        return Truncate(builder.ToString(), maxChars);
    }
}
