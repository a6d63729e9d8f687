using BotAgent.Core.Execution;
using Microsoft.Extensions.Options;

namespace BotAgent.Core;

/// <summary>
/// This process's identity in leases and traces: the configured name (the machine name and process id by default) and
/// a suffix of its own. The suffix is always there: two processes with one configured name (a copied configuration, a
/// restart while the old process still runs) would otherwise pass each other's lease checks.
/// </summary>
public sealed class BotInstance(IOptions<ExecutionOptions> options)
{
    public string Id { get; } = $"{(string.IsNullOrWhiteSpace(options.Value.InstanceId) ? $"{Environment.MachineName}:{Environment.ProcessId}" : options.Value.InstanceId.Trim())}:{Guid.NewGuid().ToString("N")[..6]}";
}
