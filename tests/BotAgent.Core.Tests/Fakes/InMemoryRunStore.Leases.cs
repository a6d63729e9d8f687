using BotAgent.Core.Runs;

namespace BotAgent.Core.Tests.Fakes;

internal sealed partial class InMemoryRunStore
{
    public Task<string?> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var run = _runs.Values
                .Where(r => r.Status == RunStatus.Approved || (r.Status == RunStatus.Running && !HasLiveLease(r.Id, now)))
                .OrderBy(r => r.UpdatedAt)
                .FirstOrDefault();
            if (run is null)
                return Task.FromResult<string?>(null);
            _runs[run.Id] = run with { Status = RunStatus.Running, UpdatedAt = now };
            _leases[run.Id] = (owner, leaseUntil);
            return Task.FromResult<string?>(run.Id);
        }
    }

    public Task<IReadOnlyList<string>> RenewLeasesAsync(string owner, IReadOnlyCollection<string> runIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var held = runIds.Where(id => IsRunningFor(id, owner)).ToList();
            foreach (var id in held)
                _leases[id] = (owner, leaseUntil);
            return Task.FromResult<IReadOnlyList<string>>(held);
        }
    }

    public Task ReleaseLeaseAsync(string owner, string runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Just before now, as the databases do: a claim made at this same instant already sees the lease as expired.
            if (IsRunningFor(runId, owner))
                _leases[runId] = (owner, now.AddTicks(-1));
        }
        return Task.CompletedTask;
    }

    public Task<int> ReleaseAllLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var running = _runs.Values.Where(r => r.Status == RunStatus.Running).Select(r => r.Id).ToList();
            foreach (var id in running)
                _leases[id] = (_leases.TryGetValue(id, out var lease) ? lease.Owner : "", now.AddTicks(-1));
            return Task.FromResult(running.Count);
        }
    }

    public Task<bool> RequestCancelAsync(string runId, string requestedBy, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_runs.TryGetValue(runId, out var run) || run.Status != RunStatus.Running)
                return Task.FromResult(false);
            _cancelRequests[runId] = requestedBy;
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyDictionary<string, string>> GetCancelRequestsAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(_cancelRequests
                .Where(c => runIds.Contains(c.Key) && _runs[c.Key].Status == RunStatus.Running)
                .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal));
        }
    }

    private bool HasLiveLease(string runId, DateTimeOffset now) =>
        _leases.TryGetValue(runId, out var lease) && lease.Until >= now;

    private bool IsRunningFor(string runId, string owner) =>
        _runs.TryGetValue(runId, out var run) && run.Status == RunStatus.Running
        && _leases.TryGetValue(runId, out var lease) && lease.Owner == owner;
}
