using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Planning;

/// <summary>
/// The planner that needs no model: numbered steps typed by the user, or a configured playbook whose
/// pattern matches the goal. Deterministic, so it is also what the tests and benchmarks plan with.
/// </summary>
public sealed class OfflinePlanner : IPlanner
{
    public const string Name = "offline";
    private readonly IReadOnlyList<(PlaybookOptions Options, Regex Pattern)> _playbooks;

    public OfflinePlanner(IOptions<PlannerOptions> options)
    {
        _playbooks = [.. options.Value.Playbooks.Select(p => (p, new Regex(
            p.Pattern,
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture,
            TimeSpan.FromMilliseconds(200))))];
    }

    public Task<PlanningOutcome> PlanAsync(PlanningRequest request, CancellationToken cancellationToken)
    {
        var goal = request.Goal.Trim();
        var describe = (string name) => request.Tools.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

        var (typed, prose) = TypedStepParser.Parse(goal, describe);
        if (typed.Count > 0)
            return Task.FromResult(PlanningOutcome.Planned(FromTypedSteps(typed, prose, describe), Name));

        foreach (var (playbook, pattern) in _playbooks)
        {
            var match = pattern.Match(goal);
            if (match.Success)
                return Task.FromResult(PlanningOutcome.Planned(FromPlaybook(goal, playbook, match, describe), Name));
        }

        return Task.FromResult(PlanningOutcome.NotPlanned(
            "I could not turn that into a plan without a language model.",
            Suggestions(request.Tools),
            Name));
    }

    /// <summary>Without a model there is nothing smarter to do than to stop where the plan failed.</summary>
    public Task<PlanningOutcome> ReviseAsync(RevisionRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(PlanningOutcome.NotPlanned("The offline planner does not revise plans.", [], Name));

    /// <summary>Without a model, results are judged by the steps' expectations alone (the observer checks those).</summary>
    public Task<ObservationAnswer> ObserveAsync(ObservationRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(ObservationAnswer.Continue("the offline planner judges results by the steps' expectations", Name));

    public Task<RunSummary> SummarizeAsync(SummaryRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new RunSummary(RunSummaryText.Deterministic(request)));

    private IReadOnlyList<string> Suggestions(IReadOnlyList<ToolDescriptor> tools)
    {
        var suggestions = new List<string>();
        foreach (var (playbook, _) in _playbooks)
            suggestions.Add($"`{playbook.Usage}`: {playbook.Description}");
        suggestions.Add("Numbered steps, one per line: `1. http.get https://example.com/health`");
        if (tools.Count > 0)
            suggestions.Add("Tools: " + string.Join(", ", tools.Select(t => $"`{t.Name}`")));
        return suggestions;
    }

    private static Plan FromTypedSteps(IReadOnlyList<TypedStepParser.TypedStep> typed, string prose, Func<string, ToolDescriptor?> describe)
    {
        var steps = new List<PlanStep>(typed.Count);
        for (var i = 0; i < typed.Count; i++)
        {
            var t = typed[i];
            var title = t.Text.Length > 120 ? t.Text[..117] + "…" : t.Text;
            steps.Add(Step(i, RemoveNumber(title), t.Tool, t.Args, describe));
        }
        var goal = prose.Length > 0 ? prose : $"Run {typed.Count} typed step{(typed.Count == 1 ? "" : "s")}";
        return new Plan(goal, steps, HighestRisk(steps), Observation.GoalJudge.EveryStepSucceeds);
    }

    private static Plan FromPlaybook(string goal, PlaybookOptions playbook, Match match, Func<string, ToolDescriptor?> describe)
    {
        var steps = new List<PlanStep>(playbook.Steps.Count);
        for (var i = 0; i < playbook.Steps.Count; i++)
        {
            var template = playbook.Steps[i];
            var args = new JsonObject();
            foreach (var (key, value) in template.Args)
                args[key] = Fill(value, match);
            steps.Add(Step(i, Fill(template.Title, match), template.Tool, args, describe) with { Expect = template.Expect });
        }
        return new Plan(goal, steps, HighestRisk(steps), Fill(playbook.SuccessCriteria, match));
    }

    private static PlanStep Step(int index, string title, string tool, JsonObject args, Func<string, ToolDescriptor?> describe)
    {
        var risk = describe(tool)?.Risk ?? RiskLevel.ReadOnly;
        var element = JsonSerializer.SerializeToElement(args, Serialization.CoreJsonContext.Default.JsonObject);
        return new PlanStep($"s{index + 1}", title, tool, element, risk);
    }

    private static RiskLevel HighestRisk(IEnumerable<PlanStep> steps) =>
        steps.Select(s => s.Risk).DefaultIfEmpty(RiskLevel.ReadOnly).Max();

    private static string RemoveNumber(string line)
    {
        var dot = line.IndexOfAny(['.', ')']);
        return dot >= 0 ? line[(dot + 1)..].Trim() : line;
    }

    private static string Fill(string template, Match match)
    {
        var result = new StringBuilder(template);
        foreach (Group group in match.Groups)
        {
            if (!int.TryParse(group.Name, out _))
                result.Replace("{" + group.Name + "}", group.Value.Trim());
        }
        return result.ToString();
    }
}
