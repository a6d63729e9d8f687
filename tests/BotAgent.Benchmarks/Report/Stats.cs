using System.Globalization;

namespace BotAgent.Benchmarks.Report;

/// <summary>Median and range over rounds, formatted for the tables.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
            return double.NaN;
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>"median (min–max)" over rounds, or the single value.</summary>
    public static string Range(IReadOnlyCollection<double> values, string format = "N0")
    {
        var real = values.Where(v => !double.IsNaN(v)).ToArray();
        if (real.Length == 0)
            return "–";
        var median = Format(Median(real), format);
        return real.Length == 1 ? median : $"{median} ({Format(real.Min(), format)}–{Format(real.Max(), format)})";
    }

    public static string Format(double value, string format = "N0") =>
        double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Ratio(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "–" : value.ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
