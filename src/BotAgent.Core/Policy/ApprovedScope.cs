using BotAgent.Core.Execution;
using BotAgent.Core.Planning;

namespace BotAgent.Core.Policy;

/// <summary>
/// What people approved for a run (a plan version, with its envelope, and who approved it) and which calls the
/// run has attempted since. The executor holds every step, and the re-planner every revision, to it: a revision's
/// own envelope never widens it, whatever the planner or a tool's output says.
/// </summary>
public sealed class ApprovedScope
{
    private readonly List<(int Version, string StepId, string Key)> _attempted;

    /// <param name="ledger">Every attempt recorded for the run so far.</param>
    public ApprovedScope(PlanVersion approved, IReadOnlyList<string> approvers, IEnumerable<StepAttempt> ledger)
    {
        Approved = approved;
        Approvers = approvers;
        _attempted = [.. ledger.Select(a => (a.PlanVersion, a.StepId, CallKey.Of(a.Tool, a.ArgsJson)))];
    }

    public PlanVersion Approved { get; }

    /// <summary>The names of the people whose approval of <see cref="Approved"/> let it run.</summary>
    public IReadOnlyList<string> Approvers { get; }

    /// <summary>"Alice, Bob" (or "the approvers" when none were recorded).</summary>
    public string ApproverNames => Approvers.Count == 0 ? "the approvers" : string.Join(", ", Approvers);

    /// <summary>Records that a step is being attempted (before its tool is called).</summary>
    public void Attempting(int version, PlanStep step) => _attempted.Add((version, step.Id, CallKey.Of(step)));

    /// <summary>Why <paramref name="revised"/> must go back to people; empty when it may run on.</summary>
    public IReadOnlyList<string> CheckRevision(Plan revised) =>
        EnvelopeCheck.Revision(Approved.Plan, revised, [.. _attempted.Select(a => a.Key)], SinceApproval(null));

    /// <summary>How <paramref name="revised"/>'s envelope goes beyond the approved one (listed when people are asked anyway).</summary>
    public IReadOnlyList<string> Widening(Plan revised) => EnvelopeCheck.Widening(Approved.Plan, revised.Envelope);

    /// <summary>Why this step, as its tool would run it now, is outside what was approved; empty when it fits.</summary>
    /// <param name="current">The step with its risk and targets as the tool assesses them now.</param>
    public IReadOnlyList<string> CheckStep(int version, PlanStep current)
    {
        // A step of the approved version is held to what it was approved as (its risk and targets), not to what ran
        // before: people approved that version as it stood, two identical writes included. For a later version, the
        // step's own earlier attempts (a retry, a resumed run) are not "running it again"; other steps' are.
        if (version == Approved.Version)
            return EnvelopeCheck.Step(Approved.Plan, current, []);
        List<string> before = [.. _attempted.Where(a => a.Version != version || a.StepId != current.Id).Select(a => a.Key)];
        var problems = EnvelopeCheck.Step(Approved.Plan, current, before);
        if (problems.Count > 0)
            return problems;
        // A step of a later version also counts against the extra steps the envelope allows.
        var extras = EnvelopeCheck.Extras(Approved.Plan, new Plan("", [current], current.Risk, ""), SinceApproval((version, current.Id)));
        var allowed = EnvelopeCheck.Of(Approved.Plan).MaxExtraSteps;
        return extras > allowed ? [$"{current.Id} would be step {extras} beyond the approved plan; the approved envelope allows {allowed}"] : [];
    }

    /// <summary>
    /// Calls attempted under the approved version and after it (versions before it were approved on their own terms),
    /// leaving out one step's own attempts.
    /// </summary>
    private List<string> SinceApproval((int Version, string StepId)? except) =>
        [.. _attempted.Where(a => a.Version >= Approved.Version && (a.Version, a.StepId) != except).Select(a => a.Key)];
}
