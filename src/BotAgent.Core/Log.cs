using Microsoft.Extensions.Logging;

namespace BotAgent.Core;

/// <summary>Every log line the core writes. Payloads and secrets never appear above Debug.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox dispatch loop failed; retrying")]
    public static partial void OutboxLoopFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Id} was answered by the channel but the answer could not be recorded (try {Attempt}); it is not sent again blindly")]
    public static partial void OutboxRecordFailed(this ILogger logger, long id, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending outbox message {Id} threw")]
    public static partial void OutboxSendThrew(this ILogger logger, long id, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Id} may or may not have been delivered ({Error}); it will not be re-posted")]
    public static partial void OutboxAmbiguous(this ILogger logger, long id, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plan card {Id} may or may not have been delivered ({Error}); it is sent again, saying so")]
    public static partial void OutboxSendingAgain(this ILogger logger, long id, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox message {Id} will be retried in {DelayMs} ms ({Error})")]
    public static partial void OutboxRetry(this ILogger logger, long id, double delayMs, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Id} could not be delivered: {Error}")]
    public static partial void OutboxFailed(this ILogger logger, long id, string? error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The outbox backlog could not be counted; it is not reported until it can be")]
    public static partial void OutboxBacklogNotCounted(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox loop failed; retrying")]
    public static partial void InboxLoopFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbound item {Id} ({Adapter}) failed")]
    public static partial void InboundFailed(this ILogger logger, long id, string adapter, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: plan v{Version} ({Hash}) proposed by {Planner}, risk {Risk}, {Steps} step(s)")]
    public static partial void PlanProposed(this ILogger logger, string runId, int version, string hash, string planner, string risk, int steps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: refused by policy ({Count} violation(s))")]
    public static partial void PolicyRefused(this ILogger logger, string runId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: {Verb} by {ActorId}: {Result}")]
    public static partial void Decision(this ILogger logger, string runId, string verb, string actorId, string result);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: started by {Owner}")]
    public static partial void RunStarted(this ILogger logger, string runId, string owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: step {StepId} attempt {Attempt} {State} in {DurationMs} ms")]
    public static partial void AttemptFinished(this ILogger logger, string runId, string stepId, int attempt, string state, long durationMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: finished {Status}")]
    public static partial void RunFinished(this ILogger logger, string runId, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId}: moved to {Status}, but the move's trace event could not be recorded; it is missing from the run's trace")]
    public static partial void MoveTraceFailed(this ILogger logger, string runId, string status, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId}: execution crashed")]
    public static partial void RunCrashed(this ILogger logger, string runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run worker loop failed; retrying")]
    public static partial void RunLoopFailed(this ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: approval expired")]
    public static partial void RunExpired(this ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: lease lost by {Owner}; another instance has taken it over")]
    public static partial void LeaseLost(this ILogger logger, string runId, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: step {StepId} attempt {Attempt} was in flight when its instance stopped; {Action}")]
    public static partial void AttemptInterrupted(this ILogger logger, string runId, string stepId, int attempt, string action);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: reminded approvers before expiry")]
    public static partial void Reminded(this ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: its card was behind the store (a refresh lost with a stopped process); refreshing it")]
    public static partial void CardBehind(this ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: stopped at a step boundary for shutdown; it will be resumed")]
    public static partial void RunCheckpointed(this ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key} has '{Entry}', an id that does not say which channel it holds on: it matches that id wherever a channel vouches for ids. Write teams:<Entra object id or 29: id>, slack:<team id>/<user id> or email:<address>.")]
    public static partial void AmbiguousApprover(this ILogger logger, string key, string entry);

    [LoggerMessage(Level = LogLevel.Information, Message = "A goal from {PersonId} was not planned: {Why}")]
    public static partial void GoalOverLimit(this ILogger logger, string personId, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: step {StepId} was not run: it is outside what was approved ({Why})")]
    public static partial void StepOutsideEnvelope(this ILogger logger, string runId, string stepId, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: after step {StepId} the planner says {Decision}")]
    public static partial void Observed(this ILogger logger, string runId, string stepId, string decision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: the planning model call ({Purpose}) failed: {Error}")]
    public static partial void ModelCallFailed(this ILogger logger, string runId, string purpose, string error);
}
