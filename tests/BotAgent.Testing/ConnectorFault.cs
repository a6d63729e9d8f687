namespace BotAgent.Testing;

/// <summary>A scripted failure the test channel answers with instead of success.</summary>
/// <param name="Delay">Wait this long before answering (longer than the bot's timeout simulates a timeout).</param>
/// <param name="Accept">Record the activity as delivered anyway (the channel took it, then failed to say so).</param>
public sealed record ConnectorFault(int Status, TimeSpan? RetryAfter = null, TimeSpan? Delay = null, bool Accept = false, string? Body = null);
