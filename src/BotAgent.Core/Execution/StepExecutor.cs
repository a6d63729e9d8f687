using System.Diagnostics;
using System.Text.Json.Nodes;
using BotAgent.Core.Planning;
using BotAgent.Core.Policy;
using BotAgent.Core.Resilience;
using BotAgent.Core.Runs;
using BotAgent.Core.Tools;
using BotAgent.Core.Traces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace BotAgent.Core.Execution;

/// <summary>
/// Runs one approved step: before every attempt, re-checks it against the tool (a change after approval takes
/// effect) and against what people approved (the plan version and its envelope, <see cref="ApprovedScope"/>);
/// calls the tool with a timeout, retries only what is safe to retry, and records every attempt before and after
/// the call.
/// </summary>
public sealed class StepExecutor(
    ToolCatalogue tools,
    ArgumentSchemaValidator validator,
    Permissions permissions,
    SecretRedactor redactor,
    IStepAttemptStore attempts,
    ITraceSink traces,
    TimeProvider time,
    IOptions<ExecutionOptions> options,
    ILogger<StepExecutor> logger)
{
    private StepPipelines? _pipelines;

    // Built on first use (a benign race builds two; one is kept).
    private StepPipelines Pipelines => _pipelines ??= new StepPipelines(options.Value, time);

    /// <param name="previousAttempts">Attempts of this step recorded before (a resumed run numbers on from there).</param>
    /// <param name="scope">What people approved: a step outside it is not run (the result says why).</param>
    public async Task<StepResult> ExecuteAsync(Run run, PlanVersion plan, int index, int previousAttempts, ApprovedScope scope, CancellationToken cancellationToken)
    {
        var step = plan.Plan.Steps[index];
        using var span = Telemetry.Start("botagent.step", run.Id, run.Conversation.ConversationId);
        span?.SetTag(Telemetry.StepIdTag, step.Id);
        span?.SetTag(Telemetry.ToolTag, step.Tool);
        var started = time.GetTimestamp();
        var refusal = Recheck(run, step, out var tool);
        if (refusal is not null)
        {
            await traces.ExecutionAsync(run.Id, TraceTypes.StepRefused, step.Id, null, new JsonObject { ["reason"] = refusal }, cancellationToken);
            return new StepResult(index, step.Id, step.Title, step.Tool, StepState.Failed, "Refused before running: " + refusal, null, refusal, 0, TimeSpan.Zero);
        }
        if (await OutsideAsync(run, plan, index, tool!, scope, cancellationToken) is { } outside)
            return outside;
        scope.Attempting(plan.Version, step);

        var retrySafe = tool!.Assess(step.Args).IsRetrySafe;
        var maxAttempts = retrySafe ? options.Value.MaxAttempts : 1;
        var idempotencyKey = $"{run.Id}:{plan.Version}:{step.Id}";
        await traces.ExecutionAsync(run.Id, TraceTypes.StepStarted, step.Id, null, new JsonObject
        {
            ["tool"] = step.Tool,
            ["maxAttempts"] = maxAttempts,
        }, cancellationToken);

        StepState state = StepState.Failed;
        ToolOutcome? outcome = null;
        long attemptId = 0;
        var attempt = 0;
        StepResult? changed = null;
        await (retrySafe ? Pipelines.Retries : ResiliencePipeline<bool>.Empty).ExecuteAsync(async token =>
        {
            if (attempt > 0)
            {
                // Before every attempt: a tool that changed during the backoff (an MCP server's new annotations) is held
                // to what was approved again; one that is gone leaves the last failure standing.
                if (Recheck(run, step, out var again) is not null)
                    return false;
                if ((changed = await OutsideAsync(run, plan, index, again!, scope, token)) is not null)
                    return false;
                tool = again;
            }
            attempt++;
            (state, outcome, attemptId) = await AttemptAsync(run, plan, index, tool!, retrySafe, previousAttempts + attempt, idempotencyKey, token);
            return state is StepState.Failed or StepState.TimedOut && outcome.Transient;
        }, cancellationToken);
        if (changed is not null)
            return changed;

        var duration = time.GetElapsedTime(started);
        Telemetry.StepDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("tool", step.Tool), new KeyValuePair<string, object?>("state", state.ToWire()));
        if (state != StepState.Succeeded)
            span.Fail(state.ToWire());
        await traces.ExecutionAsync(run.Id, TraceTypes.StepFinished, step.Id, attempt, new JsonObject
        {
            ["state"] = state.ToWire(),
            ["attempts"] = attempt,
            ["durationMs"] = (long)duration.TotalMilliseconds,
        }, cancellationToken);
        var expectation = state == StepState.Succeeded ? Observation.ExpectationCheck.Check(step.Expect, outcome!.Measures, outcome.Output) : null;
        return new StepResult(index, step.Id, step.Title, step.Tool, state, outcome!.Summary, outcome.Output, outcome.Error, attempt, duration,
            outcome.Facts, attemptId, outcome.Measures, Expectation: expectation);
    }

    /// <returns>Null when the step fits what people approved; otherwise a result saying why it was not run.</returns>
    private async Task<StepResult?> OutsideAsync(Run run, PlanVersion plan, int index, ITool tool, ApprovedScope scope, CancellationToken cancellationToken)
    {
        var step = plan.Plan.Steps[index];
        var problems = scope.CheckStep(plan.Version, EffectiveStep.Of(step, tool));
        if (problems.Count == 0)
            return null;
        var why = string.Join("; ", problems);
        logger.StepOutsideEnvelope(run.Id, step.Id, why);
        await traces.ExecutionAsync(run.Id, TraceTypes.StepOutsideEnvelope, step.Id, null, new JsonObject
        {
            ["approvedVersion"] = scope.Approved.Version,
            ["planVersion"] = plan.Version,
            ["problems"] = new JsonArray([.. problems.Select(p => (JsonNode?)JsonValue.Create(p))]),
        }, cancellationToken);
        return new StepResult(index, step.Id, step.Title, step.Tool, StepState.Pending,
            "Not run: outside what was approved", null, null, 0, TimeSpan.Zero, OutsideEnvelope: why);
    }

    private string? Recheck(Run run, PlanStep step, out ITool? tool)
    {
        if (!tools.TryGet(step.Tool, out tool))
            return $"there is no tool '{step.Tool}' (or it is no longer enabled)";
        // Roles may have changed since the plan was approved: the requester's permissions now are what count.
        var notAllowed = permissions.WhyNotTool(run.Requester, tool.Descriptor.Name) ?? permissions.WhyNotRequest(run.Requester, tool.Assess(step.Args).Risk);
        if (notAllowed is not null)
            return notAllowed;
        var problems = validator.Validate(tool.Descriptor.Name, tool.Descriptor.ArgumentSchema, step.Args);
        if (problems.Count > 0)
            return string.Join("; ", problems);
        var refusals = tool.CheckArguments(step.Args);
        return refusals.Count > 0 ? string.Join("; ", refusals) : null;
    }

    private async Task<(StepState, ToolOutcome, long)> AttemptAsync(
        Run run, PlanVersion plan, int index, ITool tool, bool retrySafe, int attempt, string idempotencyKey, CancellationToken cancellationToken)
    {
        var step = plan.Plan.Steps[index];
        using var span = Telemetry.Start("botagent.tool", run.Id, run.Conversation.ConversationId, ActivityKind.Client);
        span?.SetTag(Telemetry.StepIdTag, step.Id);
        span?.SetTag(Telemetry.ToolTag, step.Tool);
        span?.SetTag("botagent.attempt", attempt);
        var startedAt = time.GetUtcNow();
        var attemptId = await attempts.StartAsync(new StepAttempt(
            0, run.Id, plan.Version, step.Id, index, attempt, step.Tool, step.Args.GetRawText(), idempotencyKey, StepState.Running, startedAt), cancellationToken);

        var timeout = options.Value.StepTimeout ?? tool.Descriptor.DefaultTimeout;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StepPipelines.AttemptTimeout, timeout);
        var stopwatch = Stopwatch.StartNew();
        StepState state;
        ToolOutcome outcome;
        try
        {
            // Configured secrets (API keys in headers, connection strings) never reach the store, the thread or a model.
            outcome = redactor.Redact(await Pipelines.Timeout.ExecuteAsync(
                static (resilience, call) => new ValueTask<ToolOutcome>(call.Tool.InvokeAsync(call.Call, resilience.CancellationToken)),
                context, (Tool: tool, Call: new ToolCall(run.Id, step.Id, attempt, step.Args, idempotencyKey))));
            // A write that failed without saying whether it acted is not a plain failure: a person decides.
            state = outcome.Succeeded ? StepState.Succeeded : outcome.MayHaveHappened && !retrySafe ? StepState.OutcomeUnknown : StepState.Failed;
        }
        catch (TimeoutRejectedException) when (!cancellationToken.IsCancellationRequested)
        {
            // A write that timed out may still have happened: that is for a person to say, not a retry.
            state = retrySafe ? StepState.TimedOut : StepState.OutcomeUnknown;
            outcome = ToolOutcome.Failure($"Timed out after {timeout.TotalSeconds:0.#} s" + (retrySafe ? "" : "; the write may or may not have happened"), "timeout", transient: retrySafe);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped mid-call (shutdown timeout, lost lease): a read is simply cancelled; a write may have happened.
            var interrupted = retrySafe ? StepState.Cancelled : StepState.OutcomeUnknown;
            await attempts.FinishAsync(attemptId, interrupted, time.GetUtcNow(),
                retrySafe ? "Cancelled" : "Outcome unknown: cancelled mid-call", null, "cancelled", null, CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            // A tool that throws is a bug in the tool; the step fails with the reason, the run goes on being
            // explainable. A write that threw may have acted before it did, so that is for a person to say.
            state = retrySafe ? StepState.Failed : StepState.OutcomeUnknown;
            outcome = redactor.Redact(ToolOutcome.Failure("The tool crashed: " + ex.GetType().Name, ex.Message));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (state != StepState.Succeeded)
        {
            span.Fail(state.ToWire());
            Telemetry.ToolErrors.Add(1, new KeyValuePair<string, object?>("tool", step.Tool), new KeyValuePair<string, object?>("state", state.ToWire()));
        }
        // Once the tool answered, its outcome is recorded even if the run is being cancelled this instant.
        await attempts.FinishAsync(attemptId, state, time.GetUtcNow(), outcome.Summary, outcome.Output, outcome.Error, outcome.Measures, CancellationToken.None);
        await traces.ExecutionAsync(run.Id, TraceTypes.AttemptFinished, step.Id, attempt, new JsonObject
        {
            ["state"] = state.ToWire(),
            ["summary"] = outcome.Summary,
            ["error"] = outcome.Error,
            ["transient"] = outcome.Transient,
            ["durationMs"] = stopwatch.ElapsedMilliseconds,
        }, CancellationToken.None);
        logger.AttemptFinished(run.Id, step.Id, attempt, state.ToWire(), stopwatch.ElapsedMilliseconds);
        return (state, outcome, attemptId);
    }
}
