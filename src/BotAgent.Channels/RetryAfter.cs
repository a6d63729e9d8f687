namespace BotAgent.Channels;

/// <summary>How long a channel API asked to be left alone (its <c>Retry-After</c>), for the outbox's next attempt.</summary>
internal static class RetryAfter
{
    /// <returns>The delay the response asks for (a date in the past is no delay), or null when it names none.</returns>
    public static TimeSpan? Of(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
            return delta;
        if (header?.Date is { } date)
        {
            var wait = date - (response.Headers.Date ?? date);
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
