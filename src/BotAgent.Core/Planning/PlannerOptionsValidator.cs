using Microsoft.Extensions.Options;

namespace BotAgent.Core.Planning;

/// <summary>
/// Checks the playbooks' expectations at start, naming the key that is wrong: an expectation that can never hold
/// (<c>Status: "OK"</c>) would otherwise end every run of its playbook as "goal not met".
/// </summary>
public sealed class PlannerOptionsValidator : IValidateOptions<PlannerOptions>
{
    public ValidateOptionsResult Validate(string? name, PlannerOptions options)
    {
        var failures = new List<string>();
        for (var p = 0; p < options.Playbooks.Count; p++)
        {
            var steps = options.Playbooks[p].Steps;
            for (var s = 0; s < steps.Count; s++)
            {
                if (steps[s].Expect is not { } expect)
                    continue;
                foreach (var problem in Observation.ExpectationCheck.Problems(expect))
                    failures.Add($"{PlannerOptions.Section}:Playbooks:{p}:Steps:{s}:Expect: {problem}.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
