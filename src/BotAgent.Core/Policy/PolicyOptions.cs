using System.ComponentModel.DataAnnotations;

namespace BotAgent.Core.Policy;

/// <summary>Configuration section <c>Policy</c>.</summary>
public sealed class PolicyOptions
{
    public const string Section = "Policy";

    /// <summary>The most steps a plan may have.</summary>
    [Range(1, 100)]
    public int MaxSteps { get; set; } = 10;

    /// <summary>
    /// The highest risk a step added by re-planning may carry without people approving it again:
    /// <c>read_only</c> (the default), <c>write</c> or <c>high</c>. Writes the approvers saw as such always run.
    /// </summary>
    [RegularExpression("^(?i:read_only|readonly|read-only|write|high)$", ErrorMessage = "Policy:EnvelopeMaxRisk must be read_only, write or high.")]
    public string EnvelopeMaxRisk { get; set; } = "read_only";

    /// <summary>The most extra steps any envelope may allow, whatever a planner proposes.</summary>
    [Range(0, 50)]
    public int MaxExtraSteps { get; set; } = 5;

    /// <summary>The most tools, and separately targets, an envelope may name.</summary>
    [Range(1, 100)]
    public int MaxEnvelopeEntries { get; set; } = 20;
}
