using System.Globalization;
using BotAgent.Core.Planning;
using BotAgent.Core.Tools;

namespace BotAgent.Core.Observation;

/// <summary>
/// Checks a step's <see cref="Expectation"/> against what its tool reported, without a model. Pure, so a resumed
/// run judges the recorded results exactly as the first run did.
/// </summary>
public static class ExpectationCheck
{
    public static ExpectationResult Check(Expectation? expect, ToolMeasures? measures, string? output)
    {
        if (expect is null)
            return ExpectationResult.Nothing;
        var failed = new List<string>();
        var unchecked_ = new List<string>();
        var held = new List<string>();
        if (expect.Status is { } status)
        {
            if (measures?.Status is not { } code)
                unchecked_.Add("no HTTP status was reported");
            else if (StatusMatches(status, code))
                held.Add($"HTTP {code}");
            else
                failed.Add($"expected HTTP {status}, got {code}");
        }
        if (expect.MinCount is not null || expect.MaxCount is not null)
        {
            if (measures?.Count is not { } count)
                unchecked_.Add("no count was reported");
            else if (count < (expect.MinCount ?? long.MinValue))
                failed.Add($"expected at least {expect.MinCount}, found {count}");
            else if (count > (expect.MaxCount ?? long.MaxValue))
                failed.Add($"expected at most {expect.MaxCount}, found {count}");
            else
                held.Add($"{count} found");
        }
        if (expect.Above is not null || expect.Below is not null)
        {
            var shown = measures?.Value?.ToString("G6", CultureInfo.InvariantCulture);
            if (measures?.Value is not { } value)
                unchecked_.Add("no value was reported");
            else if (expect.Above is { } above && !(value > above))
                failed.Add($"expected a value above {above.ToString(CultureInfo.InvariantCulture)}, got {shown}");
            else if (expect.Below is { } below && !(value < below))
                failed.Add($"expected a value below {below.ToString(CultureInfo.InvariantCulture)}, got {shown}");
            else
                held.Add($"value {shown}");
        }
        if (!string.IsNullOrEmpty(expect.Contains))
        {
            if ((output ?? "").Contains(expect.Contains, StringComparison.OrdinalIgnoreCase))
                held.Add($"output contains \"{expect.Contains}\"");
            else
                failed.Add($"expected the output to contain \"{expect.Contains}\"");
        }

        if (failed.Count > 0)
            return new(ExpectationState.Unmet, string.Join("; ", failed));
        if (unchecked_.Count > 0)
            return new(ExpectationState.Unchecked, string.Join("; ", unchecked_));
        return held.Count == 0 ? ExpectationResult.Nothing : new(ExpectationState.Met, string.Join("; ", held));
    }

    /// <summary><c>2xx</c> matches 200–299; <c>204</c> matches 204 only.</summary>
    public static bool StatusMatches(string expected, int code)
    {
        var text = expected.Trim().ToLowerInvariant();
        if (text.Length == 3 && text.EndsWith("xx", StringComparison.Ordinal) && text[0] is >= '1' and <= '5')
            return code / 100 == text[0] - '0';
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var exact) && exact == code;
    }

    /// <summary>Why the expectation cannot be checked at all (for the planner's repair prompt and policy); empty when it is well formed.</summary>
    public static IReadOnlyList<string> Problems(Expectation expect)
    {
        var problems = new List<string>();
        if (expect.Status is { } status && !IsStatus(status))
            problems.Add($"expect.status '{status}' must be 2xx or a 2xx code such as 204 (any other status fails the step before it is observed)");
        if (expect.MinCount < 0 || expect.MaxCount < 0)
            problems.Add("expect.minCount and expect.maxCount cannot be negative");
        if (expect.MinCount is { } min && expect.MaxCount is { } max && min > max)
            problems.Add("expect.minCount is larger than expect.maxCount");
        if (expect.Above is { } above && expect.Below is { } below && above >= below)
            problems.Add("expect.above must be lower than expect.below");
        if (expect.Contains is { Length: > 500 })
            problems.Add("expect.contains is longer than 500 characters");
        if (expect is { Status: null, MinCount: null, MaxCount: null, Above: null, Below: null } && string.IsNullOrEmpty(expect.Contains))
            problems.Add("expect names nothing to check (status, minCount, maxCount, above, below or contains)");
        return problems;
    }

    /// <summary>The expectation in words, for the card: "expects HTTP 2xx, at least 1".</summary>
    public static string Describe(Expectation expect)
    {
        var parts = new List<string>();
        if (expect.Status is { } status)
            parts.Add("HTTP " + status);
        if (expect.MinCount is { } min && expect.MaxCount is { } max)
            parts.Add(min == max ? $"exactly {min} found" : $"{min}–{max} found");
        else if (expect.MinCount is { } atLeast)
            parts.Add($"at least {atLeast} found");
        else if (expect.MaxCount is { } atMost)
            parts.Add(atMost == 0 ? "none found" : $"at most {atMost} found");
        if (expect.Above is { } above)
            parts.Add("value above " + above.ToString(CultureInfo.InvariantCulture));
        if (expect.Below is { } below)
            parts.Add("value below " + below.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(expect.Contains))
            parts.Add($"output contains \"{expect.Contains}\"");
        return "expects " + string.Join(", ", parts);
    }

    private static bool IsStatus(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        return t.Length == 3 && t[0] == '2' && (t[1..] == "xx" || (char.IsAsciiDigit(t[1]) && char.IsAsciiDigit(t[2])));
    }
}
