using System.ComponentModel.DataAnnotations;

namespace BotAgent.Core.Approvals;

/// <summary>Configuration section <c>Approvals</c>.</summary>
public sealed class ApprovalOptions : IValidatableObject
{
    public const string Section = "Approvals";

    /// <summary>How long a plan waits for approval before it expires.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Expiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Approvers are reminded this long before a plan expires; zero: no reminder.</summary>
    public TimeSpan ReminderBefore { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Member ids or AAD object ids who may approve <c>high</c>-risk plans. Empty: no high-risk plan can be approved.</summary>
    public List<string> HighRiskApprovers { get; set; } = [];

    /// <summary>Distinct approvals a <c>high</c>-risk plan needs.</summary>
    [Range(1, 10)]
    public int HighRiskQuorum { get; set; } = 1;

    /// <summary>Distinct approvals a <c>write</c> plan needs (never counting the requester).</summary>
    [Range(1, 10)]
    public int WriteQuorum { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        HighRiskApprovers.Select((entry, i) => ApproverEntry.Problem(entry) is { } problem
            ? new ValidationResult($"Approvals:HighRiskApprovers:{i} ('{entry}'): {problem}", [nameof(HighRiskApprovers)])
            : null).OfType<ValidationResult>();
}
