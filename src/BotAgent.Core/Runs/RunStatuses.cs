namespace BotAgent.Core.Runs;

/// <summary>Wire names and the legal transitions of <see cref="RunStatus"/>.</summary>
public static class RunStatuses
{
    private static readonly Dictionary<RunStatus, RunStatus[]> Allowed = new()
    {
        [RunStatus.Planning] = [RunStatus.AwaitingApproval, RunStatus.PolicyDenied, RunStatus.Failed, RunStatus.Cancelled],
        [RunStatus.AwaitingApproval] = [RunStatus.Approved, RunStatus.Rejected, RunStatus.Expired, RunStatus.Cancelled],
        [RunStatus.Approved] = [RunStatus.Running, RunStatus.Cancelled],
        [RunStatus.Running] = [RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled, RunStatus.AwaitingApproval, RunStatus.AwaitingDecision],
        [RunStatus.AwaitingDecision] = [RunStatus.Approved, RunStatus.Cancelled],
    };

    public static bool IsFinished(this RunStatus status) => !Allowed.ContainsKey(status);

    public static bool CanMoveTo(this RunStatus from, RunStatus to) =>
        Allowed.TryGetValue(from, out var targets) && targets.Contains(to);

    /// <summary>Throws for a transition the state machine does not allow: that is a bug, not an outcome.</summary>
    public static void EnsureCanMoveTo(this RunStatus from, RunStatus to)
    {
        if (!from.CanMoveTo(to))
            throw new InvalidOperationException($"A run cannot move from '{from.ToWire()}' to '{to.ToWire()}'.");
    }

    public static string ToWire(this RunStatus status) => status switch
    {
        RunStatus.Planning => "planning",
        RunStatus.AwaitingApproval => "awaiting_approval",
        RunStatus.Approved => "approved",
        RunStatus.Running => "running",
        RunStatus.AwaitingDecision => "awaiting_decision",
        RunStatus.Succeeded => "succeeded",
        RunStatus.Failed => "failed",
        RunStatus.Cancelled => "cancelled",
        RunStatus.Rejected => "rejected",
        RunStatus.Expired => "expired",
        RunStatus.PolicyDenied => "policy_denied",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static RunStatus Parse(string wire) => wire switch
    {
        "planning" => RunStatus.Planning,
        "awaiting_approval" => RunStatus.AwaitingApproval,
        "approved" => RunStatus.Approved,
        "running" => RunStatus.Running,
        "awaiting_decision" => RunStatus.AwaitingDecision,
        "succeeded" => RunStatus.Succeeded,
        "failed" => RunStatus.Failed,
        "cancelled" => RunStatus.Cancelled,
        "rejected" => RunStatus.Rejected,
        "expired" => RunStatus.Expired,
        "policy_denied" => RunStatus.PolicyDenied,
        _ => throw new FormatException($"Unknown run status '{wire}'."),
    };
}
