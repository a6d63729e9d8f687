using System.Globalization;
using System.Text;
using System.Text.Json;
using BotAgent.Core.Tools;

namespace BotAgent.Tools.Prometheus;

/// <summary>
/// Turns the <c>data</c> of a successful Prometheus answer into a card-sized outcome: how many series, and per
/// series a short label set with min, max and last value. Labels every series shares are shown once, so each
/// series line shows what tells it apart.
/// </summary>
internal static class PrometheusResult
{
    private const int FactSeries = 5;
    private const int MaxLabelChars = 100;

    private sealed record Series(Dictionary<string, string> Labels, int Samples, double Min, double Max, double Last);

    public static ToolOutcome Summarise(JsonElement data, IReadOnlyList<string> warnings, PrometheusRequest request, int maxSeries)
    {
        var type = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("resultType", out var t) ? t.ToString() : "?";
        var result = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("result", out var r) ? r : default;
        if (type is "scalar" or "string")
        {
            var value = result.ValueKind == JsonValueKind.Array && result.GetArrayLength() == 2 ? result[1].ToString() : "?";
            // One value, like a vector of one series; a string has no number to compare.
            var number = type == "scalar" ? Finite(Parse(value)) : null;
            return ToolOutcome.Success($"{type} {value}", $"{type} at {request.Describe()}: {value}", [new("Result type", type), new("Value", value)])
                with { Measures = new ToolMeasures(Count: 1, Value: number) };
        }

        var series = result.ValueKind == JsonValueKind.Array ? result.EnumerateArray().Select(Read).ToList() : [];
        var common = series.Count > 1
            ? series[0].Labels.Where(l => series.All(s => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Select(l => l.Key).ToHashSet(StringComparer.Ordinal)
            : [];
        var samples = series.Sum(s => s.Samples);
        var output = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{type}, {series.Count} series, {request.Describe()}").AppendLine();
        if (common.Count > 0)
            output.Append("common labels: ").AppendLine(LabelSet(series[0].Labels.Where(l => common.Contains(l.Key)), withName: true));
        foreach (var s in series.Take(maxSeries))
            output.Append(Name(s, common)).Append("  ").AppendLine(Values(s, type));
        if (series.Count > maxSeries)
            output.Append(CultureInfo.InvariantCulture, $"(and {series.Count - maxSeries} more series)").AppendLine();
        foreach (var warning in warnings)
            output.Append("warning: ").AppendLine(warning);

        var summary = series.Count switch
        {
            0 => $"no series ({type}): the query matched nothing",
            _ when type == "matrix" => $"{series.Count} series ({type}, {samples} samples)",
            _ => $"{series.Count} series ({type})",
        };
        List<KeyValuePair<string, string>> facts = [new("Result type", type), new("Series", series.Count.ToString(CultureInfo.InvariantCulture))];
        facts.AddRange(series.Take(FactSeries).Select(s => new KeyValuePair<string, string>(Name(s, common), Values(s, type))));
        // NaN and ±Inf are left out: "the highest value" is meant to be compared with a threshold.
        var highest = series.Select(s => Finite(s.Last)).Max();
        return ToolOutcome.Success(summary, output.ToString().TrimEnd(), facts) with { Measures = new ToolMeasures(Count: series.Count, Value: highest) };
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static Series Read(JsonElement item)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (item.ValueKind != JsonValueKind.Object)
            return new Series([], 0, double.NaN, double.NaN, double.NaN);
        if (item.TryGetProperty("metric", out var metric) && metric.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in metric.EnumerateObject())
                labels[label.Name] = label.Value.ToString();
        }
        // A vector sample is "value": [t, "v"]; a matrix has "values": [[t, "v"], …]. Native histograms carry
        // "histogram(s)" instead and have no single number to show.
        IEnumerable<JsonElement> points = item.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array
            ? values.EnumerateArray()
            : item.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array ? [value] : [];
        double min = double.NaN, max = double.NaN, last = double.NaN;
        var count = 0;
        foreach (var point in points)
        {
            if (point.ValueKind != JsonValueKind.Array || point.GetArrayLength() != 2)
                continue;
            var number = Parse(point[1].ToString());
            count++;
            last = number;
            if (double.IsNaN(number))
                continue;
            min = double.IsNaN(min) ? number : Math.Min(min, number);
            max = double.IsNaN(max) ? number : Math.Max(max, number);
        }
        return new Series(labels, count, min, max, last);
    }

    private static double Parse(string? text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN,
    };

    private static string Values(Series s, string type) => s.Samples switch
    {
        0 => "(no float samples)",
        _ when type != "matrix" => Format(s.Last),
        _ => $"min {Format(s.Min)}  max {Format(s.Max)}  last {Format(s.Last)}  ({s.Samples} samples)",
    };

    private static string Name(Series s, HashSet<string> common)
    {
        s.Labels.TryGetValue("__name__", out var name);
        var distinct = s.Labels.Where(l => l.Key != "__name__" && !common.Contains(l.Key)).ToList();
        var prefix = common.Contains("__name__") ? "" : name ?? "";
        var text = distinct.Count == 0 && prefix.Length > 0 ? prefix : prefix + LabelSet(distinct, withName: false);
        return text.Length <= MaxLabelChars ? text : string.Concat(text.AsSpan(0, MaxLabelChars - 1), "…");
    }

    private static string LabelSet(IEnumerable<KeyValuePair<string, string>> labels, bool withName)
    {
        var shown = labels.Where(l => withName || l.Key != "__name__").Select(l => $"{l.Key}=\"{l.Value}\"").ToList();
        return shown.Count == 0 ? "{}" : "{" + string.Join(", ", shown) + "}";
    }

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("G6", CultureInfo.InvariantCulture),
    };
}
