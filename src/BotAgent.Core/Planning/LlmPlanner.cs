using System.Text.Json.Nodes;
using BotAgent.Core.Policy;
using BotAgent.Core.Traces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotAgent.Core.Planning;

/// <summary>
/// Plans with a language model behind <see cref="IChatClient"/>. The model is asked for the plan JSON
/// (with a JSON schema response format where the server supports it); it is never given tools to call.
/// Output that is not a valid plan goes back to the model with the errors, a bounded number of times.
/// Every call is traced: model, prompt version, tokens, latency, finish reason and the raw output.
/// </summary>
public sealed class LlmPlanner(
    IChatClient chat,
    PlannerModel model,
    PlanValidator validator,
    ITraceSink traces,
    ITraceReader traceReader,
    TimeProvider time,
    IOptions<PlannerOptions> options,
    Limits.ModelUsageLimits usage,
    ILogger<LlmPlanner> logger) : IPlanner
{

    public Task<PlanningOutcome> PlanAsync(PlanningRequest request, CancellationToken cancellationToken) =>
        PlanWithRepairsAsync(request.RunId, request.Requester, "plan",
            [new(ChatRole.System, PlanPrompt.SystemPrompt(request.Tools, validator.MaxSteps)), new(ChatRole.User, PlanPrompt.PlanRequest(request))],
            new HashSet<string>(), cancellationToken);

    public Task<PlanningOutcome> ReviseAsync(RevisionRequest request, CancellationToken cancellationToken) =>
        PlanWithRepairsAsync(request.RunId, request.Requester, "revision",
            [new(ChatRole.System, PlanPrompt.SystemPrompt(request.Tools, validator.MaxSteps)), new(ChatRole.User, PlanPrompt.RevisionRequest(request))],
            Done(request.Results), cancellationToken);

    public async Task<ObservationAnswer> ObserveAsync(ObservationRequest request, CancellationToken cancellationToken)
    {
        var done = Done(request.Results);
        var (answer, failure, problems) = await AnswerWithRepairsAsync(request.RunId, request.Requester, "observe",
            [new(ChatRole.System, PlanPrompt.SystemPrompt(request.Tools, validator.MaxSteps)), new(ChatRole.User, PlanPrompt.ObservationRequest(request))],
            Format(AnswerSchemas.Observation),
            (string text, out IReadOnlyList<string> problems) => ReadObservation(text, done, out problems), cancellationToken);
        // An answer that cannot be had leaves the approved plan as it is: observing is advice, never a licence.
        return answer ?? new ObservationAnswer(ObserveDecision.Continue, "", null, Name,
            failure ?? "the model's answers were not valid: " + string.Join("; ", problems));
    }

    public async Task<RunSummary> SummarizeAsync(SummaryRequest request, CancellationToken cancellationToken)
    {
        var (response, _) = await CallAsync(request.RunId, request.Requester, "summary", [new(ChatRole.User, PlanPrompt.SummaryRequest(request))],
            Format(AnswerSchemas.Summary), cancellationToken);
        // A summary is a courtesy: without the model the team still gets the deterministic one.
        return (string.IsNullOrWhiteSpace(response?.Text) ? null : ModelSummaryReader.Read(response.Text, request.Results.Select(r => r.StepId).ToHashSet(StringComparer.Ordinal)))
            ?? new RunSummary(RunSummaryText.Deterministic(request));
    }

    private ChatResponseFormat Format(AnswerSchema schema) =>
        options.Value.StructuredOutput ? schema.ResponseFormat : ChatResponseFormat.Json;

    /// <param name="done">Steps that already succeeded: a revision may name them in dependsOn (met, not missing).</param>
    private async Task<PlanningOutcome> PlanWithRepairsAsync(string runId, Intake.Member requester, string purpose, List<ChatMessage> messages, IReadOnlySet<string> done, CancellationToken cancellationToken)
    {
        var (plan, failure, problems) = await AnswerWithRepairsAsync(runId, requester, purpose, messages,
            Format(AnswerSchemas.Plan),
            (string text, out IReadOnlyList<string> problems) => ReadPlan(text, done, out problems), cancellationToken);
        if (plan is not null)
            return PlanningOutcome.Planned(plan, Name);
        return failure is not null
            ? PlanningOutcome.NotPlanned(failure, [], Name)
            : PlanningOutcome.Invalid(
                $"The planning model did not produce a valid plan after {options.Value.MaxRepairs} repair(s); nothing was planned.",
                problems,
                Name);
    }

    private Plan? ReadPlan(string text, IReadOnlySet<string> done, out IReadOnlyList<string> problems)
    {
        var plan = ModelPlanReader.Read(text, out problems);
        if (plan is not null)
        {
            plan = ModelPlanReader.WithoutDone(plan, done);
            problems = validator.Validate(plan);
        }
        return problems.Count == 0 ? plan : null;
    }

    private ObservationAnswer? ReadObservation(string text, IReadOnlySet<string> done, out IReadOnlyList<string> problems)
    {
        var answer = ModelObservationReader.Read(text, out problems);
        if (answer?.Plan is { } plan)
        {
            answer = answer with { Plan = ModelPlanReader.WithoutDone(plan, done) };
            problems = validator.Validate(answer.Plan!);
        }
        return problems.Count == 0 ? answer! with { Planner = Name } : null;
    }

    private static HashSet<string> Done(IReadOnlyList<Execution.StepResult> results) =>
        results.Where(r => r.Succeeded).Select(r => r.StepId).ToHashSet(StringComparer.Ordinal);

    private delegate T? Reader<T>(string text, out IReadOnlyList<string> problems) where T : class;

    /// <summary>Asks, reads, and sends an invalid answer back with its problems, a bounded number of times.</summary>
    /// <returns>The answer; or null with why the model could not be asked, or with the last answer's problems.</returns>
    private async Task<(T? Answer, string? Failure, IReadOnlyList<string> Problems)> AnswerWithRepairsAsync<T>(
        string runId, Intake.Member requester, string purpose, List<ChatMessage> messages, ChatResponseFormat format, Reader<T> read, CancellationToken cancellationToken) where T : class
    {
        IReadOnlyList<string> problems = [];
        for (var attempt = 0; attempt <= options.Value.MaxRepairs; attempt++)
        {
            var (response, failure) = await CallAsync(runId, requester, attempt == 0 ? purpose : purpose + ".repair", messages, format, cancellationToken);
            if (response is null)
                return (null, failure ?? "The planning model is not available right now; nothing was planned.", []);

            var answer = read(response.Text, out problems);
            await traces.PlanningAsync(runId, TraceTypes.PlanValidation, new JsonObject
            {
                ["purpose"] = purpose,
                ["attempt"] = attempt,
                ["valid"] = problems.Count == 0,
                ["problems"] = new JsonArray([.. problems.Select(p => (JsonNode?)JsonValue.Create(p))]),
            }, cancellationToken);
            if (answer is not null && problems.Count == 0)
                return (answer, null, []);

            messages.Add(new ChatMessage(ChatRole.Assistant, response.Text));
            messages.Add(new ChatMessage(ChatRole.User, PlanPrompt.Repair(problems)));
        }
        return (null, null, problems);
    }

    private string Name => $"{model.Provider}:{model.Model}";

    /// <returns>The response, or null and what people should be told (the call failed or the run's model budget is spent; both traced).</returns>
    private async Task<(ChatResponse? Response, string? Failure)> CallAsync(string runId, Intake.Member requester, string purpose, List<ChatMessage> messages, ChatResponseFormat format, CancellationToken cancellationToken)
    {
        if (await OverBudgetAsync(runId, cancellationToken) is { } exhausted)
        {
            await traces.PlanningAsync(runId, TraceTypes.ModelError, new JsonObject { ["purpose"] = purpose, ["error"] = exhausted }, cancellationToken);
            return (null, $"The planning model was not asked again because {exhausted}; nothing was planned.");
        }
        if (usage.WhyNot(requester) is { } spent)
        {
            await traces.PlanningAsync(runId, TraceTypes.ModelError, new JsonObject { ["purpose"] = purpose, ["error"] = spent }, cancellationToken);
            return (null, $"The planning model was not asked: {spent}. Nothing was planned.");
        }

        using var timeout = new CancellationTokenSource(options.Value.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = time.GetTimestamp();
        try
        {
            var response = await chat.GetResponseAsync(messages, new ChatOptions
            {
                Temperature = 0,
                MaxOutputTokens = options.Value.MaxOutputTokens,
                ResponseFormat = format,
            }, linked.Token);
            usage.Record(requester, (response.Usage?.InputTokenCount ?? 0) + (response.Usage?.OutputTokenCount ?? 0));
            Telemetry.ModelTokens.Add(response.Usage?.InputTokenCount ?? 0, new KeyValuePair<string, object?>("direction", "input"));
            Telemetry.ModelTokens.Add(response.Usage?.OutputTokenCount ?? 0, new KeyValuePair<string, object?>("direction", "output"));
            await traces.PlanningAsync(runId, TraceTypes.ModelCall, new JsonObject
            {
                ["purpose"] = purpose,
                ["provider"] = model.Provider,
                ["model"] = response.ModelId ?? model.Model,
                ["promptVersion"] = PlanPrompt.Version,
                ["promptHash"] = PlanPrompt.Hash,
                ["inputTokens"] = response.Usage?.InputTokenCount,
                ["outputTokens"] = response.Usage?.OutputTokenCount,
                ["latencyMs"] = (long)time.GetElapsedTime(started).TotalMilliseconds,
                ["finishReason"] = response.FinishReason?.Value,
                ["rawOutput"] = Reporting.TextExcerpt.Truncate(response.Text, 20_000),
            }, cancellationToken);
            return (response, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // 429s and 5xx were already retried by the client (honouring Retry-After); this is the end of that.
            var error = ex is OperationCanceledException ? $"timed out after {options.Value.Timeout.TotalSeconds:0} s" : $"{ex.GetType().Name}: {ex.Message}";
            logger.ModelCallFailed(runId, purpose, error);
            await traces.PlanningAsync(runId, TraceTypes.ModelError, new JsonObject
            {
                ["purpose"] = purpose,
                ["provider"] = model.Provider,
                ["model"] = model.Model,
                ["latencyMs"] = (long)time.GetElapsedTime(started).TotalMilliseconds,
                ["error"] = Reporting.TextExcerpt.Truncate(error, 1000),
            }, cancellationToken);
            return (null, $"The planning model is not available right now ({(ex is OperationCanceledException ? "it timed out" : "it kept failing")}); nothing was planned. Try again in a moment.");
        }
    }

    private async Task<string?> OverBudgetAsync(string runId, CancellationToken cancellationToken)
    {
        var calls = (await traceReader.ListAsync(runId, cancellationToken)).Where(e => e.Type == TraceTypes.ModelCall).ToList();
        if (calls.Count >= options.Value.MaxModelCallsPerRun)
            return $"this run has used its {options.Value.MaxModelCallsPerRun} model calls";
        long tokens = 0;
        foreach (var call in calls)
        {
            var data = call.DataJson is null ? null : JsonNode.Parse(call.DataJson);
            tokens += (data?["inputTokens"]?.GetValue<long>() ?? 0) + (data?["outputTokens"]?.GetValue<long>() ?? 0);
        }
        return tokens >= options.Value.MaxTokensPerRun ? $"this run has used its {options.Value.MaxTokensPerRun} model tokens" : null;
    }
}
