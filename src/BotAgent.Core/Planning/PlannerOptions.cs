using System.ComponentModel.DataAnnotations;

namespace BotAgent.Core.Planning;

/// <summary>Configuration section <c>Planner</c>.</summary>
public sealed class PlannerOptions
{
    public const string Section = "Planner";

    /// <summary><c>Offline</c> (default), <c>AzureOpenAI</c> or <c>OpenAI</c> (any OpenAI-compatible server).</summary>
    [RegularExpression("^(?i:Offline|AzureOpenAI|OpenAI)$", ErrorMessage = "Planner:Provider must be Offline, AzureOpenAI or OpenAI.")]
    public string Provider { get; set; } = "Offline";

    /// <summary>Goal patterns the offline planner expands into steps; first match wins.</summary>
    public List<PlaybookOptions> Playbooks { get; set; } = [];

    /// <summary>Ask for the plan with a JSON schema response format; turn off for servers that do not support it.</summary>
    public bool StructuredOutput { get; set; } = true;

    /// <summary>Times invalid model output goes back to the model with the errors before planning fails.</summary>
    [Range(0, 5)]
    public int MaxRepairs { get; set; } = 2;

    /// <summary>Revised plans a run may get (after failed steps, or when observing the results calls for one).</summary>
    [Range(0, 10)]
    public int MaxRevisions { get; set; } = 2;

    /// <summary>
    /// Extra steps a plan's envelope allows by default: how many steps re-planning may add without asking people
    /// again (within the plan's tools, targets and risk). <c>Policy:MaxExtraSteps</c> caps what a planner proposes.
    /// </summary>
    [Range(0, 50)]
    public int MaxExtraSteps { get; set; } = 3;

    /// <summary>
    /// When the planner looks at results: <c>OnFailure</c> (after a failed step) or <c>EachStep</c> (after every
    /// step: continue, revise or done). Default: <c>EachStep</c> for a model, <c>OnFailure</c> for the offline
    /// planner, which judges results by the steps' expectations alone.
    /// </summary>
    [RegularExpression("^(?i:OnFailure|EachStep)$", ErrorMessage = "Planner:Observe must be OnFailure or EachStep.")]
    public string? Observe { get; set; }

    /// <summary>True when a model is asked about every step's result (never for the offline planner: its steps' expectations decide).</summary>
    public bool ObservesEachStep => !Provider.Equals("Offline", StringComparison.OrdinalIgnoreCase)
        && (Observe is null || Observe.Equals("EachStep", StringComparison.OrdinalIgnoreCase));

    /// <summary>Model calls one run may make (plans, repairs, observations after steps, revisions, summary).</summary>
    [Range(1, 100)]
    public int MaxModelCallsPerRun { get; set; } = 24;

    /// <summary>Tokens (input and output) one run may spend on the model.</summary>
    [Range(1000, 10_000_000)]
    public int MaxTokensPerRun { get; set; } = 100_000;

    [Range(64, 32_000)]
    public int MaxOutputTokens { get; set; } = 2000;

    /// <summary>Timeout of one model call (the client retries 429 and 5xx within it, honouring Retry-After).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Planning that takes longer shows "typing…" in Teams (a model takes seconds; the offline planner answers at
    /// once and so sends no indicator nobody would see).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan TypingAfter { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// With <see cref="Observe"/> EachStep, also ask the model after a last step that met its expectation (it may add
    /// steps, e.g. when a 2xx body still shows trouble); off by default, which saves a model wait before the summary.
    /// </summary>
    public bool ObserveMetLastStep { get; set; }
}
