using System.Text.RegularExpressions;

namespace BotAgent.Channels.Slack;

/// <summary>Slack's text conventions: the markup in what people write, and escaping in what the bot writes.</summary>
internal static partial class SlackText
{
    /// <summary>
    /// What someone wrote, as plain text for the planner: the bot's own mention removed, links reduced to
    /// their URL (Slack sends <c>check https://x</c> as <c>check &lt;https://x&gt;</c>), other mentions as
    /// <c>@id</c> / <c>#name</c>, and the three entities Slack escapes decoded.
    /// </summary>
    /// <param name="botUserId">The bot's user id; when unknown, a leading mention is taken to be the bot's.</param>
    public static string ToPlain(string? text, string? botUserId, bool leadingMentionIsBot)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        if (botUserId is null && leadingMentionIsBot)
            text = LeadingMention().Replace(text, " ", 1);
        text = Markup().Replace(text, m => Plain(m.Groups[1].Value, botUserId));
        return text.Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal)
            .Replace('\u00a0', ' ')
            .Trim();
    }

    /// <summary>Escapes text for <c>mrkdwn</c> (and the message <c>text</c>): Slack reads only these three as control characters.</summary>
    public static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Escapes, then shortens to <paramref name="maxChars"/> without leaving half an entity behind.</summary>
    public static string Escape(string text, int maxChars)
    {
        var escaped = Escape(text);
        if (escaped.Length <= maxChars)
            return escaped;
        var cut = Core.Reporting.TextExcerpt.Truncate(escaped, maxChars);
        var amp = cut.LastIndexOf('&');
        return amp >= 0 && cut.IndexOf(';', amp) < 0 ? cut[..amp] + "…" : cut;
    }

    /// <summary>Turns Slack user ids in escaped text into mentions, which Slack shows as the person's current name.</summary>
    public static string MentionUserIds(string escaped) => UserId().Replace(escaped, m => $"<@{m.Value}>");

    private static string Plain(string inner, string? botUserId)
    {
        var bar = inner.IndexOf('|', StringComparison.Ordinal);
        var target = bar < 0 ? inner : inner[..bar];
        var label = bar < 0 ? null : inner[(bar + 1)..];
        return target switch
        {
            ['@', ..] when botUserId is not null && target.AsSpan(1).SequenceEqual(botUserId) => " ",
            ['@', ..] => "@" + (label ?? target[1..]),
            ['#', ..] => "#" + (label ?? target[1..]),
            "!here" or "!channel" or "!everyone" => "@" + target[1..],
            ['!', ..] => label ?? target[1..],
            _ when target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) => label ?? target[7..],
            // A link: the URL is what a tool needs, whatever label Slack shows.
            _ => target,
        };
    }

    [GeneratedRegex(@"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>", RegexOptions.CultureInvariant, 100)]
    private static partial Regex LeadingMention();

    [GeneratedRegex(@"<([^<>\s][^<>]*)>", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Markup();

    [GeneratedRegex(@"\b[UW](?=[A-Z0-9]*[0-9])[A-Z0-9]{6,}\b", RegexOptions.CultureInvariant, 100)]
    private static partial Regex UserId();
}
