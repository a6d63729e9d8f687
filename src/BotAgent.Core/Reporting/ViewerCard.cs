namespace BotAgent.Core.Reporting;

/// <summary>A run's plan card as one person should see it.</summary>
/// <param name="MayDecide">The viewer may approve or reject (the card shows buttons).</param>
/// <param name="WhyNot">Why the viewer may not decide, shown on the card; null when they may.</param>
public sealed record ViewerCard(PlanCardView View, bool MayDecide, string? WhyNot);
