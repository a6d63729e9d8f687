using System.Text;

namespace BotAgent.Benchmarks.Report;

/// <summary>The results file: the targets met or not, then one section per scenario, then the machine.</summary>
internal sealed class BenchReport
{
    private readonly List<(int Rank, TargetCheck Check)> _checks = [];
    private readonly List<(string Title, string Body)> _sections = [];

    /// <param name="rank">Where the target stands in the list (1 = ingest … 7 = idle memory).</param>
    public void Check(int rank, string target, string measured, string bar, bool pass) => _checks.Add((rank, new TargetCheck(target, measured, bar, pass)));

    public void Section(string title, string body) => _sections.Add((title, body));

    public IReadOnlyList<TargetCheck> Checks => [.. _checks.OrderBy(c => c.Rank).Select(c => c.Check)];

    /// <param name="profile">Findings from profiling (bench/profile.md), shown after the targets; null for none.</param>
    public string ToMarkdown(string header, string machine, string? profile)
    {
        var text = new StringBuilder();
        text.AppendLine("# Benchmarks").AppendLine().AppendLine(header).AppendLine();
        text.AppendLine("## Targets").AppendLine();
        var targets = new MarkdownTable("Target", "Measured (median of rounds)", "Bar", "Result");
        foreach (var check in Checks)
            targets.Add(check.Target, check.Measured, check.Bar, check.Pass ? "PASS" : "**FAIL**");
        text.Append(targets).AppendLine();
        if (profile is not null)
            text.AppendLine("## What is in the way: the profile (bench/profile.md)").AppendLine().AppendLine(profile.TrimEnd()).AppendLine();
        // Sections in the order of scenarios: their titles start "(1)", "(2)", ….
        foreach (var (title, body) in _sections.OrderBy(s => s.Title, StringComparer.Ordinal))
            text.AppendLine("## " + title).AppendLine().AppendLine(body.TrimEnd()).AppendLine();
        text.AppendLine("## Machine").AppendLine().AppendLine(machine);
        return text.ToString();
    }
}
