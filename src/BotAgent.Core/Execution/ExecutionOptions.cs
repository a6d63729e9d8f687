using System.ComponentModel.DataAnnotations;

namespace BotAgent.Core.Execution;

/// <summary>Configuration section <c>Execution</c>.</summary>
public sealed class ExecutionOptions
{
    public const string Section = "Execution";

    /// <summary>Attempts per step for retry-safe tools (read-only or idempotent) after transient failures.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First retry delay; doubles per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Overrides every tool's default per-attempt timeout when set.</summary>
    public TimeSpan? StepTimeout { get; set; }

    /// <summary>Runs executed at once by this instance. Runs waiting for approval cost no slot.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentRuns { get; set; } = 32;

    /// <summary>How long a claimed run stays with this instance without renewal.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A name for this instance in leases and traces (the machine name and process id by default); each process adds a suffix of its own to it.</summary>
    public string? InstanceId { get; set; }
}
