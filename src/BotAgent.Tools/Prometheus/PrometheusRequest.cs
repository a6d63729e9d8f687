using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BotAgent.Tools.Prometheus;

/// <summary>
/// A query read from a step's arguments: instant without <c>start</c>, a range query with it. Times are RFC 3339,
/// Unix seconds, <c>now</c> or <c>now-1h</c>; <c>step</c> is a Prometheus duration (<c>30s</c>, <c>5m</c>) or seconds,
/// and when left out a range is cut into about 250 points.
/// </summary>
internal sealed partial record PrometheusRequest(string Query, DateTimeOffset? Start, DateTimeOffset? End, TimeSpan? Step)
{
    /// <summary>Prometheus refuses range queries with more points per series than this.</summary>
    public const int MaxPoints = 11_000;

    private const int DefaultPoints = 250;

    [GeneratedRegex(@"^(?:(?<n>\d+)(?<u>ms|s|m|h|d|w|y))+$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Duration();

    [GeneratedRegex(@"^now\s*-\s*(?<d>\S+)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 100)]
    private static partial Regex NowMinus();

    public bool IsRange => Start is not null;

    /// <returns>Why the arguments do not make a query; null when <paramref name="request"/> is set.</returns>
    public static string? TryRead(JsonElement args, DateTimeOffset now, out PrometheusRequest? request)
    {
        request = null;
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty("query", out var q) || q.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(q.GetString()))
            return "prometheus.query needs a 'query' (PromQL)";
        DateTimeOffset? start = null, end = null;
        TimeSpan? step = null;
        if (Text(args, "start") is { } startText && (start = ParseTime(startText, now)) is null)
            return $"start '{startText}' is not a time (RFC 3339, Unix seconds, now or now-1h)";
        if (Text(args, "end") is { } endText && (end = ParseTime(endText, now)) is null)
            return $"end '{endText}' is not a time (RFC 3339, Unix seconds, now or now-1h)";
        if (Text(args, "step") is { } stepText && (step = ParseDuration(stepText)) is not { Ticks: > 0 })
            return $"step '{stepText}' is not a positive duration (e.g. 30s, 5m, 1h)";

        if (start is null)
        {
            if (end is not null || step is not null)
                return "end and step make a range query, which needs a start too (e.g. start: now-1h)";
            request = new PrometheusRequest(q.GetString()!, null, null, null);
            return null;
        }
        end ??= now;
        if (end <= start)
            return $"end ({end:O}) must be after start ({start:O})";
        step ??= TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((end.Value - start.Value).TotalSeconds / DefaultPoints)));
        var points = (end.Value - start.Value) / step.Value;
        if (points > MaxPoints)
            return $"{points:0} points per series is more than Prometheus allows ({MaxPoints}); use a larger step or a shorter range";
        request = new PrometheusRequest(q.GetString()!, start, end, step);
        return null;
    }

    /// <summary>The API path and query string, relative to the base URL.</summary>
    public string PathAndQuery()
    {
        if (!IsRange)
            return "api/v1/query?query=" + Uri.EscapeDataString(Query);
        return "api/v1/query_range?query=" + Uri.EscapeDataString(Query)
            + "&start=" + Seconds(Start!.Value) + "&end=" + Seconds(End!.Value)
            + "&step=" + Step!.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
    }

    public string Describe() => IsRange
        ? $"{Start!.Value.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} to {End!.Value.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} every {Step!.Value.TotalSeconds:0.###}s"
        : "now";

    private static string Seconds(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private static string? Text(JsonElement args, string name) =>
        args.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!.Trim()
            : args.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : null;

    internal static DateTimeOffset? ParseTime(string text, DateTimeOffset now)
    {
        if (text.Equals("now", StringComparison.OrdinalIgnoreCase))
            return now;
        if (NowMinus().Match(text) is { Success: true } relative)
            return ParseDuration(relative.Groups["d"].Value) is { } ago ? now - ago : null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var unix))
            return unix is >= 0 and < 253_402_300_799 ? DateTimeOffset.FromUnixTimeMilliseconds((long)(unix * 1000)) : null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
    }

    internal static TimeSpan? ParseDuration(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return double.IsFinite(seconds) && seconds is >= 0 and < 1e9 ? TimeSpan.FromSeconds(seconds) : null;
        var match = Duration().Match(text);
        if (!match.Success)
            return null;
        try
        {
            var total = TimeSpan.Zero;
            for (var i = 0; i < match.Groups["n"].Captures.Count; i++)
            {
                var n = long.Parse(match.Groups["n"].Captures[i].Value, CultureInfo.InvariantCulture);
                total += match.Groups["u"].Captures[i].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(n),
                    "s" => TimeSpan.FromSeconds(n),
                    "m" => TimeSpan.FromMinutes(n),
                    "h" => TimeSpan.FromHours(n),
                    "d" => TimeSpan.FromDays(n),
                    "w" => TimeSpan.FromDays(7 * n),
                    _ => TimeSpan.FromDays(365 * n),
                };
            }
            return total;
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
        {
            return null; // "99999999999y" is a duration by its shape only
        }
    }
}
