namespace BotAgent.Core.Approvals;

/// <summary>Which plan version a run's approvals stand for: the one a later revision inside its envelope runs under.</summary>
public static class ApprovedVersion
{
    /// <summary>The latest version, at most <paramref name="atMost"/>, that someone approved; 0 when none was.</summary>
    public static int Latest(IEnumerable<ApprovalDecision> decisions, int atMost) =>
        decisions.Where(d => d.Verb == ApprovalVerb.Approve && d.PlanVersion <= atMost).Select(d => d.PlanVersion).DefaultIfEmpty(0).Max();

    /// <summary>The names of those who approved <paramref name="version"/>.</summary>
    public static IReadOnlyList<string> Approvers(IEnumerable<ApprovalDecision> decisions, int version) =>
        [.. decisions.Where(d => d.Verb == ApprovalVerb.Approve && d.PlanVersion == version).Select(d => d.Approver.Name)];
}
