namespace BotAgent.Core.Reporting;

public enum SendStatus
{
    /// <summary>The channel took it.</summary>
    Delivered,

    /// <summary>The channel certainly did not take it and asked us to come back later (429, refused connection).</summary>
    RetryLater,

    /// <summary>The channel may have taken it (timeout or 5xx on a create): recorded, never re-posted blindly.</summary>
    Ambiguous,

    /// <summary>It will never succeed (400, 403, 404): recorded and dropped.</summary>
    Failed,
}

public sealed record SendOutcome(SendStatus Status, string? MessageId = null, TimeSpan? RetryAfter = null, string? Error = null)
{
    public static SendOutcome Delivered(string? messageId) => new(SendStatus.Delivered, messageId);

    public static SendOutcome Later(TimeSpan? retryAfter, string error) => new(SendStatus.RetryLater, null, retryAfter, error);

    public static SendOutcome Unsure(string error) => new(SendStatus.Ambiguous, Error: error);

    public static SendOutcome Failure(string error) => new(SendStatus.Failed, Error: error);
}
