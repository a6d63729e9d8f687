namespace BotAgent.Testing;

/// <summary>A scripted answer the test Slack server gives instead of success.</summary>
/// <param name="Status">The HTTP status (429 for rate limits, 500 for a server error, 200 for <c>ok:false</c>).</param>
/// <param name="Error">The <c>error</c> of an <c>ok:false</c> body.</param>
/// <param name="Accept">Do what was asked anyway, then answer with the fault (Slack took it and failed to say so).</param>
public sealed record SlackFault(int Status, string? Error = null, TimeSpan? RetryAfter = null, TimeSpan? Delay = null, bool Accept = false)
{
    public static SlackFault RateLimited(TimeSpan retryAfter) => new(429, "ratelimited", retryAfter);

    public static SlackFault NotOk(string error) => new(200, error);
}
