namespace BotAgent.Core.Runs;

/// <summary>
/// Storage port through which instances share the execution of runs: one instance claims a run and holds its lease
/// while it runs it, and a request to stop a running run is left for whoever holds it.
/// </summary>
public interface IRunLeases
{
    /// <summary>
    /// Claims one run for execution by <paramref name="owner"/>: an approved run, or a running one whose
    /// lease expired (its instance died). The run is running and leased to the owner afterwards.
    /// </summary>
    Task<string?> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Extends the leases <paramref name="owner"/> still holds; returns the runs it still holds.</summary>
    Task<IReadOnlyList<string>> RenewLeasesAsync(string owner, IReadOnlyCollection<string> runIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Hands a running run back (graceful shutdown): any instance may claim it at once.</summary>
    Task ReleaseLeaseAsync(string owner, string runId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Expires every lease (one-instance databases, at start: whoever held them is gone).</summary>
    Task<int> ReleaseAllLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Asks a running run to stop at its next checkpoint; false if it is not running.</summary>
    Task<bool> RequestCancelAsync(string runId, string requestedBy, CancellationToken cancellationToken);

    /// <summary>Of <paramref name="runIds"/>, the running ones someone asked to cancel, with who asked.</summary>
    Task<IReadOnlyDictionary<string, string>> GetCancelRequestsAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken);
}
