namespace BotAgent.Benchmarks.Store;

/// <summary>Who and what one clone of a seed run is: its own run id, conversation, activities and people, and how much later it happened.</summary>
internal sealed class CloneIdentity(string runId, string conversation, string goalActivity, string clickActivity, int requester, int approver, TimeSpan shift)
{
    // In CloneHole's order.
    private readonly string[] _values =
    [
        runId, conversation, goalActivity, clickActivity,
        $"user-r{requester:D4}", $"aad-r{requester:D4}", $"Requester {requester}",
        $"user-a{approver:D3}", $"aad-a{approver:D3}", $"Approver {approver}",
    ];

    public TimeSpan Shift => shift;

    public string this[CloneHole hole] => _values[(int)hole];
}
