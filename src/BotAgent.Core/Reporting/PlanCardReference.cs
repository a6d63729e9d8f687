namespace BotAgent.Core.Reporting;

/// <summary>
/// What the outbox stores for a plan card: which run and plan version, not the card itself. A card is derived state,
/// so the dispatcher renders it from the store when it sends it, and a card that waited (queued behind other messages,
/// retried after a 429, superseded updates coalesced into the latest) never shows an older state than the run's.
/// </summary>
public sealed record PlanCardReference(string RunId, int PlanVersion) : OutboundView
{
    /// <summary>Never shown: a reference is resolved to its <see cref="PlanCardView"/> before any channel sees it.</summary>
    public override string FallbackText => $"Plan card of run {RunId}, version {PlanVersion}";
}
