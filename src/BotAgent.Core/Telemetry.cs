using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BotAgent.Core;

/// <summary>
/// BotAgent's OpenTelemetry instruments: one <see cref="ActivitySource"/> for spans and one <see cref="Meter"/>.
/// Tags carry ids (run, conversation, step, tool), never personal data, goals, arguments or secrets.
/// </summary>
public static class Telemetry
{
    public const string Name = "BotAgent";

    public static readonly ActivitySource Source = new(Name, "1.0");
    public static readonly Meter Meter = new(Name, "1.0");

    public static readonly Counter<long> RunsFinished = Meter.CreateCounter<long>("botagent.runs.finished", "{run}", "Runs that reached an end, by outcome.");
    public static readonly Histogram<double> ApprovalLatency = Meter.CreateHistogram<double>("botagent.approval.latency", "s", "Time from a plan being offered to its approval or rejection.");
    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("botagent.step.duration", "ms", "Duration of a step, all attempts included.");
    public static readonly Counter<long> ToolErrors = Meter.CreateCounter<long>("botagent.tool.errors", "{error}", "Tool attempts that did not succeed, by tool and state.");
    public static readonly Counter<long> ModelTokens = Meter.CreateCounter<long>("botagent.model.tokens", "{token}", "Planning model tokens, by direction.");

    /// <summary>
    /// <c>botagent.outbox.backlog</c>: messages in the outbox not yet delivered, counted in the store, so the number
    /// cannot drift and every instance reports the same. It is made on the host's meter (named like
    /// <see cref="Meter"/>) because its value comes from the host's store: it ends with the host.
    /// </summary>
    public static ObservableGauge<long> CreateOutboxBacklog(IMeterFactory meters, Func<IEnumerable<Measurement<long>>> observe) =>
        meters.Create(Name, "1.0").CreateObservableGauge("botagent.outbox.backlog", observe, "{message}",
            "Messages in the outbox not yet delivered (waiting or being sent), counted in the store: the same on every instance.");

    public const string RunIdTag = "botagent.run.id";
    public const string ConversationIdTag = "botagent.conversation.id";
    public const string StepIdTag = "botagent.step.id";
    public const string ToolTag = "botagent.tool";

    /// <summary>Starts a span tagged with the run (and conversation) it belongs to.</summary>
    public static Activity? Start(string name, string? runId, string? conversationId = null, ActivityKind kind = ActivityKind.Internal, DateTimeOffset startTime = default)
    {
        var activity = Source.StartActivity(name, kind, parentContext: default, startTime: startTime);
        if (activity is null)
            return null;
        if (runId is not null)
            activity.SetTag(RunIdTag, runId);
        if (conversationId is not null)
            activity.SetTag(ConversationIdTag, conversationId);
        return activity;
    }

    /// <summary>Marks a span as failed with a short reason (never a payload).</summary>
    public static void Fail(this Activity? activity, string reason) => activity?.SetStatus(ActivityStatusCode.Error, reason);
}
