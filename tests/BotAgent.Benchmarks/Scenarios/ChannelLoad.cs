using BotAgent.Benchmarks.Connector;
using BotAgent.Benchmarks.Load;

namespace BotAgent.Benchmarks.Scenarios;

/// <summary>What a round of messages sends, and what at the test channel answers each one.</summary>
/// <param name="Name">The load's name in the log.</param>
/// <param name="Message">What one request is, in the log ("goal").</param>
/// <param name="Answer">What answers one, in the log ("card").</param>
/// <param name="Requests">The round's requests from the payloads, the bot's messages endpoint and the round's tag.</param>
/// <param name="AnsweredAt">When each message's answer reached the channel, by index.</param>
/// <param name="Answered">How many answers arrived.</param>
internal sealed record ChannelLoad(
    string Name, string Message, string Answer, Func<Payloads, Uri, string, IRequestSource> Requests, Func<RoundLog, long[]> AnsweredAt, Func<RoundLog, int> Answered)
{
    /// <summary>A goal the offline planner turns into a one-step plan; answered by its plan card.</summary>
    public static readonly ChannelLoad Goals = new("goals", "goal", "card", (payloads, uri, tag) => payloads.Goal(uri, tag), l => l.CardAt, l => l.Cards);

    /// <summary><c>help</c>, through the inbox like every message; answered by the help text in the thread.</summary>
    public static readonly ChannelLoad Help = new("help", "help", "reply", (payloads, uri, tag) => payloads.Message(uri, tag, "help"), l => l.ReplyAt, l => l.Replies);
}
