namespace BotAgent.Core.Traces.Statistics;

/// <summary>One plan version's wait for people: from its plan card to the decision that settled it (the last one counted).</summary>
public sealed record DecisionWait(DateTimeOffset AskedAt, DateTimeOffset DecidedAt)
{
    public TimeSpan Wait => DecidedAt > AskedAt ? DecidedAt - AskedAt : TimeSpan.Zero;
}
