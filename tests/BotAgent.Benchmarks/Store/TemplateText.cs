using System.Globalization;
using System.Text;

namespace BotAgent.Benchmarks.Store;

/// <summary>
/// A text the bot wrote for a seed run, cut once where it names that run (its id, conversation, activities, people)
/// or is one of the store's timestamps, so that writing it for each clone is a concatenation, not a search.
/// </summary>
internal sealed class TemplateText
{
    /// <summary>The store's timestamp text (the bot's DbTime): fixed width, so it sorts and compares as text.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const int TimeLength = 28;

    private readonly object[] _parts;

    private TemplateText(object[] parts) => _parts = parts;

    /// <summary>Cuts <paramref name="text"/> at each of <paramref name="names"/>, the first listed winning where two start together.</summary>
    public static TemplateText Compile(string text, IReadOnlyList<(string Text, CloneHole Hole)> names)
    {
        if (text.Length == TimeLength && DateTime.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            return new TemplateText([at]);
        var parts = new List<object>();
        var position = 0;
        while (position < text.Length)
        {
            var (found, hole, length) = (-1, CloneHole.RunId, 0);
            foreach (var name in names)
            {
                var index = text.IndexOf(name.Text, position, StringComparison.Ordinal);
                if (index >= 0 && (found < 0 || index < found))
                    (found, hole, length) = (index, name.Hole, name.Text.Length);
            }
            if (found < 0)
                break;
            if (found > position)
                parts.Add(text[position..found]);
            parts.Add(hole);
            position = found + length;
        }
        if (position < text.Length)
            parts.Add(text[position..]);
        return new TemplateText([.. parts]);
    }

    public string Render(CloneIdentity clone, StringBuilder scratch)
    {
        if (_parts is [DateTime at])
            return (at + clone.Shift).ToString(TimeFormat, CultureInfo.InvariantCulture);
        if (_parts is [string only])
            return only;
        scratch.Clear();
        foreach (var part in _parts)
            scratch.Append(part as string ?? clone[(CloneHole)part]);
        return scratch.ToString();
    }
}
