using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using BotAgent.Core.Execution;
using BotAgent.Core.Traces;
using BotAgent.Traces.Pages;
using Microsoft.AspNetCore.Html;
using RazorSlices;

namespace BotAgent.Traces;

/// <summary>
/// The trace pages' shared pieces: the encoder their templates (Pages/*.cshtml) write with, the policy they are
/// sent with (inline CSS, no script), the formats of times and durations, and the templates' only values written
/// unencoded (<see cref="Instant"/>, <see cref="DataVersion"/> and <see cref="DataNumbers"/>, each saying why that is safe).
/// </summary>
internal static class HtmlPage
{
    // Every Unicode range allowed through as-is (goals in any language stay readable in the source); markup
    // characters and quotes are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public const string SecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Renders <paramref name="body"/> inside the pages' shell; slices encode what they are given, so nothing here needs escaping by hand.</summary>
    public static async Task<IResult> ResultAsync(string title, RazorSlice body, int statusCode = 200, SignedIn? viewer = null)
    {
        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using var document = Document.Create(new DocumentModel(title, viewer, body));
        await document.RenderAsync(writer, Encoder);
        return Results.Content(writer.ToString(), "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// An instant in the round-trip format for a data-* attribute (<c>2031-03-14T09:26:56.9890000+00:00</c>), written
    /// as it is: the encoder would spell its '+' <c>&amp;#x2B;</c>, and tooling reads these attributes as they always were.
    /// Raw is safe because the format has only digits, '-', ':', '.', 'T' and '+', none of which ends an attribute.
    /// </summary>
    public static HtmlString Instant(DateTimeOffset at) => new(at.ToString("O", CultureInfo.InvariantCulture));

    /// <summary>
    /// <c> data-version="2"</c>, or nothing when there is no version. Razor leaves data-* attributes out of its
    /// conditional attributes (for a null it writes <c>data-version=""</c>), and the pages leave this one out.
    /// Raw is safe: an invariant number has only digits, '-', '.', 'E' and '+'.
    /// </summary>
    public static HtmlString DataVersion(double? version) =>
        version is { } number ? new($" data-version=\"{number.ToString(CultureInfo.InvariantCulture)}\"") : HtmlString.Empty;

    /// <summary>
    /// <c> data-met="2" data-runs="5"</c> for a dashboard bar: Razor cannot name an attribute from a value. Raw is safe
    /// because the names are <see cref="DashboardChart"/>'s constants and every value is checked to be an invariant number.
    /// </summary>
    public static HtmlString DataNumbers(IEnumerable<(string Name, string Value)> data)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in data)
        {
            if (!name.All(c => c is '-' or (>= 'a' and <= 'z') or (>= '0' and <= '9')) || !value.All(c => c is '.' or (>= '0' and <= '9')))
                throw new ArgumentException($"data-{name}=\"{value}\" is not a name and a number.", nameof(data));
            text.Append(CultureInfo.InvariantCulture, $" data-{name}=\"{value}\"");
        }
        return new HtmlString(text.ToString());
    }

    public static string ShortTime(DateTimeOffset at) => at.UtcDateTime.ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
            span = TimeSpan.Zero;
        return span.TotalSeconds switch
        {
            < 1 => $"{span.TotalMilliseconds:0} ms",
            < 60 => $"{span.TotalSeconds:0.0} s",
            < 3600 => $"{(int)span.TotalMinutes} min {span.Seconds} s",
            < 86400 => $"{(int)span.TotalHours} h {span.Minutes} min",
            _ => $"{(int)span.TotalDays} d {span.Hours} h",
        };
    }

    /// <summary>The verdict as a CSS class and data value: <c>execution-failure</c>.</summary>
    public static string Slug(RunVerdict verdict) => verdict.Describe().Replace(' ', '-');

    public static string StateSlug(StepState state) => state.ToWire().Replace('_', '-');
}
