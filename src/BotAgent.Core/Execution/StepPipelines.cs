using BotAgent.Core.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace BotAgent.Core.Execution;

/// <summary>
/// The Polly pipelines a step runs through: its attempts, retried while one fails transiently (retry-safe steps
/// only), and each tool call under its own timeout. Built when the first step runs, so an idle bot never loads Polly.
/// </summary>
internal sealed class StepPipelines(ExecutionOptions options, TimeProvider time)
{
    public static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeout = new("botagent.attempt-timeout");

    /// <summary>A retry-safe step's attempts, tried again while the last one answers that it failed transiently.</summary>
    public ResiliencePipeline<bool> Retries { get; } = RetryPipeline(options, time);

    /// <summary>One tool call; its timeout differs per tool, so each call says it in its context.</summary>
    public ResiliencePipeline Timeout { get; } = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(new TimeoutStrategyOptions
    {
        TimeoutGenerator = args => new(args.Context.Properties.GetValue(AttemptTimeout, System.Threading.Timeout.InfiniteTimeSpan)),
    }).Build();

    private static ResiliencePipeline<bool> RetryPipeline(ExecutionOptions options, TimeProvider time)
    {
        if (options.MaxAttempts < 2)
            return ResiliencePipeline<bool>.Empty;
        var backoff = new Backoff(options.RetryBaseDelay, TimeSpan.MaxValue, jitter: 0.5);
        return new ResiliencePipelineBuilder<bool> { TimeProvider = time }.AddRetry(new RetryStrategyOptions<bool>
        {
            ShouldHandle = args => new(args.Outcome.Result),
            MaxRetryAttempts = options.MaxAttempts - 1,
            DelayGenerator = args => new(backoff.Delay(args.AttemptNumber)),
        }).Build();
    }
}
