using System.Text.Json.Serialization;

namespace BotAgent.Core.Reporting;

/// <summary>
/// A channel-neutral message. The reporter stores views in the outbox (a plan card as a <see cref="PlanCardReference"/>,
/// rendered when it is sent); each channel adapter renders them (Adaptive Card, Block Kit) only when it sends them.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "view")]
[JsonDerivedType(typeof(PlanCardView), "plan")]
[JsonDerivedType(typeof(StepResultView), "step")]
[JsonDerivedType(typeof(RunSummaryView), "summary")]
[JsonDerivedType(typeof(NoticeView), "notice")]
[JsonDerivedType(typeof(DecisionCardView), "decision")]
[JsonDerivedType(typeof(ProgressView), "progress")]
[JsonDerivedType(typeof(PlanCardReference), "plan-ref")]
public abstract record OutboundView
{
    /// <summary>Plain text for notifications and channels that cannot show the rich form.</summary>
    public abstract string FallbackText { get; }
}
