using System.Net;
using System.Text.RegularExpressions;
using BotAgent.Testing;

namespace BotAgent.Tests.Traces;

/// <summary>A trace viewer page as fetched over HTTP: its markup (for ids, classes, data-*) and its text as people read it.</summary>
public sealed partial record TracePage(HttpStatusCode Status, string Html, HttpResponseMessage Response)
{
    /// <summary>The page without its tags, entities decoded: roughly what a person reads.</summary>
    public string Text => WebUtility.HtmlDecode(Tag().Replace(Html, ""));

    public static async Task<TracePage> GetAsync(BotUnderTest bot, string path)
    {
        var response = await bot.GetAsync(path);
        return new TracePage(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>How many times <paramref name="fragment"/> (exact markup) occurs.</summary>
    public int Count(string fragment) => Regex.Count(Html, Regex.Escape(fragment));

    /// <summary>The values of one data-* attribute on the elements whose class attribute starts with <paramref name="classPrefix"/>.</summary>
    public IReadOnlyList<string> Attribute(string classPrefix, string attribute) =>
        [.. Element().Matches(Html)
            .Where(m => m.Groups["class"].Value.StartsWith(classPrefix, StringComparison.Ordinal))
            .Select(m => Regex.Match(m.Value, $"""\s{Regex.Escape(attribute)}="([^"]*)" """.TrimEnd()))
            .Where(m => m.Success)
            .Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    /// <summary>The execution lane's attempt bars, in drawing order: step, attempt number, state (wire name), retry or not.</summary>
    public IReadOnlyList<(string Step, int Attempt, string State, bool Retry)> Bars() =>
        [.. Bar().Matches(Html).Select(m => (
            m.Groups["step"].Value,
            int.Parse(m.Groups["attempt"].Value, System.Globalization.CultureInfo.InvariantCulture),
            m.Groups["state"].Value,
            m.Groups["retry"].Success))];

    [GeneratedRegex("""<g class="attempt state-[a-z-]+(?<retry> retry)?" id="bar-attempt-\d+" data-step="(?<step>[^"]*)" data-attempt="(?<attempt>\d+)" data-state="(?<state>[a-z_]+)""")]
    private static partial Regex Bar();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex("""<(?:g|tr|li|div|p|article)\s+class="(?<class>[^"]*)"[^>]*>""")]
    private static partial Regex Element();
}
