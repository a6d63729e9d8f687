using System.Text;
using System.Text.Json.Nodes;
using BotAgent.Core.Reporting;

namespace BotAgent.Channels.Slack;

/// <summary>
/// Builds one message's blocks within Slack's limits, counting blocks and characters as it goes, so a
/// renderer can give what room is left to the parts that grow (steps, output, evidence).
/// </summary>
internal sealed class SlackBlocks
{
    public const int MaxBlocks = 50;
    public const int MaxSectionChars = 3000;
    public const int MaxHeaderChars = 150;
    public const int MaxFieldChars = 2000;
    public const int MaxFields = 10;
    public const int MaxContextElements = 10;
    public const int MaxButtonChars = 75;
    public const int MaxValueChars = 2000;

    /// <summary>
    /// Slack refuses a message whose blocks hold more than about 12,000 characters of text in all
    /// (<c>msg_blocks_too_long</c>; undocumented, seen from 11,300 on, bolt-js #2509/#2867): stay well under it.
    /// </summary>
    public const int MaxTotalChars = 9000;

    /// <summary>Room kept in a section for the line that says what was left out.</summary>
    private const int NoteRoom = 150;

    private readonly JsonArray _blocks = [];

    public int Count => _blocks.Count;

    /// <summary>Characters of text in the blocks so far.</summary>
    public int Chars { get; private set; }

    public SlackBlocks Header(string text)
    {
        var capped = TextExcerpt.Truncate(text, MaxHeaderChars);
        return Add(new JsonObject { ["type"] = "header", ["text"] = PlainText(capped) }, capped.Length);
    }

    /// <param name="mrkdwn">Already escaped; capped here to the section limit.</param>
    public SlackBlocks Section(string mrkdwn)
    {
        var capped = TextExcerpt.Truncate(NonEmpty(mrkdwn), MaxSectionChars);
        return Add(new JsonObject { ["type"] = "section", ["text"] = Mrkdwn(capped) }, capped.Length);
    }

    /// <summary>A two-column list of labelled values; empty values are left out.</summary>
    /// <param name="fields">Values already escaped.</param>
    public SlackBlocks Fields(params (string Label, string? Value)[] fields)
    {
        var items = new JsonArray();
        var chars = 0;
        foreach (var (label, value) in fields.Where(f => !string.IsNullOrEmpty(f.Value)).Take(MaxFields))
        {
            var text = TextExcerpt.Truncate($"*{label}*\n{value}", MaxFieldChars);
            items.Add(Mrkdwn(text));
            chars += text.Length;
        }
        return items.Count == 0 ? this : Add(new JsonObject { ["type"] = "section", ["fields"] = items }, chars);
    }

    /// <summary>Small grey text; each element already escaped.</summary>
    public SlackBlocks Context(params string[] mrkdwn)
    {
        var elements = new JsonArray();
        var chars = 0;
        foreach (var text in mrkdwn.Where(t => t.Length > 0).Take(MaxContextElements))
        {
            var capped = TextExcerpt.Truncate(text, MaxSectionChars);
            elements.Add(Mrkdwn(capped));
            chars += capped.Length;
        }
        return elements.Count == 0 ? this : Add(new JsonObject { ["type"] = "context", ["elements"] = elements }, chars);
    }

    public SlackBlocks Actions(params JsonObject[] buttons)
    {
        if (buttons.Length == 0)
            return this;
        var chars = buttons.Sum(b => b["text"]?["text"]?.GetValue<string>().Length ?? 0);
        return Add(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray([.. buttons]) }, chars);
    }

    public SlackBlocks Append(SlackBlocks other)
    {
        foreach (var block in other._blocks)
            _blocks.Add(block!.DeepClone());
        Chars += other.Chars;
        return this;
    }

    public JsonArray ToArray() => (JsonArray)_blocks.DeepClone();

    /// <summary>
    /// Puts lines into as few sections as they need, within <paramref name="maxSections"/> blocks and
    /// <paramref name="maxChars"/> characters; what does not fit is replaced by <paramref name="more"/>'s line.
    /// </summary>
    public static List<string> Pack(IReadOnlyList<string> lines, int maxSections, int maxChars, Func<int, string> more)
    {
        var sections = new List<string>();
        if (maxSections <= 0 || lines.Count == 0)
            return sections;
        var room = MaxSectionChars - NoteRoom;
        var current = new StringBuilder();
        var used = 0;
        var shown = 0;
        foreach (var raw in lines)
        {
            var line = TextExcerpt.Truncate(raw, room);
            var need = line.Length + (current.Length > 0 ? 1 : 0);
            if (used + need > maxChars - NoteRoom)
                break;
            if (current.Length + need > room)
            {
                if (sections.Count + 1 >= maxSections)
                    break;
                sections.Add(current.ToString());
                current.Clear();
                need = line.Length;
            }
            if (current.Length > 0)
                current.Append('\n');
            current.Append(line);
            used += need;
            shown++;
        }
        if (shown < lines.Count)
        {
            if (current.Length > 0)
                current.Append('\n');
            current.Append(TextExcerpt.Truncate(more(lines.Count - shown), NoteRoom - 1));
        }
        if (current.Length > 0)
            sections.Add(current.ToString());
        return sections;
    }

    public static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = NonEmpty(text), ["emoji"] = true };

    public static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = NonEmpty(text) };

    /// <summary>Slack refuses empty text objects.</summary>
    private static string NonEmpty(string text) => string.IsNullOrWhiteSpace(text) ? "-" : text;

    private SlackBlocks Add(JsonObject block, int chars)
    {
        if (_blocks.Count >= MaxBlocks)
            throw new InvalidOperationException($"A Slack message holds at most {MaxBlocks} blocks; the renderer must budget for them.");
        _blocks.Add(block);
        Chars += chars;
        return this;
    }
}
