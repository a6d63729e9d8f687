using BotAgent.Core.Reporting;
using BotAgent.Core.Runs;

namespace BotAgent.Core.Approvals;

/// <summary>One plan or step decision waiting for a person, and the card to act on it from.</summary>
/// <param name="Card">A <see cref="PlanCardReference"/> for a plan, a <see cref="DecisionCardView"/> for a step decision.</param>
public sealed record PendingItem(Run Run, OutboundView Card);
