using BotAgent.Core.Execution;
using Microsoft.Extensions.Options;

namespace BotAgent.Core;

/// <summary>This process's identity in leases and traces.</summary>
public sealed class BotInstance(IOptions<ExecutionOptions> options)
{
    public string Id { get; } = options.Value.InstanceId
        ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
}
