namespace BotAgent.Core.Approvals;

/// <summary>What waits for one person, as far as it may be shown where they asked.</summary>
/// <param name="Items">Newest first, at most the number asked for.</param>
/// <param name="More">How many more there are beyond <see cref="PendingItem"/>s returned.</param>
public sealed record PendingList(IReadOnlyList<PendingItem> Items, int More);
